import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';
import type { Request, Response } from 'express';
import type { RouteTable } from './route-table';
import { toTaskRouterError } from './to-taskrouter-error';

/** Renders every error, Nest's own included (unknown route, bad JSON), as TaskRouter's error body. */
@Catch()
export class TaskRouterExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly routes?: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const error = exception instanceof HttpException ? this.fromHttpException(exception, request) : toTaskRouterError(exception);
    if (error.status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    // A live stream already answered (its headers are out): end it rather than answer twice.
    if (response.headersSent) return void response.end();
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.status(error.status).json(error.toBody());
  }

  private fromHttpException(exception: HttpException, request: Request): TaskRouterError {
    // Nest's router found no route for this method: 405 if the path exists under another one.
    const allowed = exception instanceof NotFoundException ? this.routes?.allowedMethods(request.path) ?? [] : [];
    if (allowed.length > 0) {
      return new TaskRouterError(405, ErrorCodes.methodNotAllowed, `Method ${request.method} is not allowed here; this resource allows ${allowed.join(', ')}`, {
        Allow: allowed.join(', '),
      });
    }
    return fromHttpException(exception);
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
