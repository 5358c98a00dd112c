import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';
import type { NextFunction, Request, Response } from 'express';
import type { RouteTable } from './route-table';

/**
 * 405 for a method a literal path does not allow, before a parameter route of that method takes
 * the path for a SID (`POST …/Workers/Statistics` would otherwise be "Worker not found").
 */
export function refuseShadowedMethods(routes: RouteTable) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const allowed = routes.shadowedBy(request.method, request.path);
    if (!allowed) return next();
    next(new TaskRouterError(405, ErrorCodes.methodNotAllowed, `Method ${request.method} is not allowed here; this resource allows ${allowed.join(', ')}`, {
      Allow: allowed.join(', '),
    }));
  };
}
