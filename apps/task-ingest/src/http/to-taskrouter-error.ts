import { ErrorCodes, TaskRouterError, badRequest, conflict, notFound } from '@taskrouter/contract';
import { DomainError } from '@taskrouter/domain';
import { WrongExpectedVersionError } from '@taskrouter/event-store';
import { fromBodyParserError } from './edge/body-parser-errors';

/** Every failure leaves the API in TaskRouter's error shape; anything unknown is a 500 that says so. */
export function toTaskRouterError(error: unknown): TaskRouterError {
  if (error instanceof TaskRouterError) return error;
  if (error instanceof DomainError) {
    if (error.kind === 'not-found') return notFound(error.message);
    if (error.kind === 'conflict') return conflict(error.message);
    return badRequest(error.message);
  }
  const unreadableBody = fromBodyParserError(error);
  if (unreadableBody) return unreadableBody;
  if (error instanceof WrongExpectedVersionError) return conflict('The resource was changed by another request at the same time; retry');
  const pg = error as { code?: string; constraint?: string };
  if (pg.code === '23505') return conflict(`A resource with the same unique value already exists${pg.constraint ? ` (${pg.constraint})` : ''}`);
  return new TaskRouterError(500, ErrorCodes.internal, 'Internal error: the request was not completed');
}
