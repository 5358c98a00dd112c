import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default exception filter for event handlers logs the error and replaces it with
 * `{ status: 'error', message: 'Internal server error' }`. KafkaEventTransport needs the error
 * itself: to tell a dependency outage (retried without limit) from a poison event (parked after
 * its attempts), and to record the cause in the dead letter. Register it with
 * `app.useGlobalFilters(new KeepHandlerErrors())`; the consumer logs every failed attempt itself.
 */
@Catch()
export class KeepHandlerErrors implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
