import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';
import type { Response } from 'express';
import { toTaskRouterError } from './to-taskrouter-error';

/** Renders every error, Nest's own included (unknown route, bad JSON), as TaskRouter's error body. */
@Catch()
export class TaskRouterExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = exception instanceof HttpException ? fromHttpException(exception) : toTaskRouterError(exception);
    if (error.status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    response.status(error.status).json(error.toBody());
  }
}

function fromHttpException(exception: HttpException): TaskRouterError {
  const status = exception.getStatus();
  if (status === 404) return new TaskRouterError(404, ErrorCodes.notFound, 'The requested resource was not found');
  if (status === 405) return new TaskRouterError(405, ErrorCodes.methodNotAllowed, 'Method not allowed');
  if (status === 413) return new TaskRouterError(413, ErrorCodes.tooLarge, 'Request entity too large');
  if (status === 401) return new TaskRouterError(401, ErrorCodes.authenticationFailed, 'Authentication failed');
  return new TaskRouterError(status, status >= 500 ? ErrorCodes.internal : ErrorCodes.invalidParameter, exception.message);
}
