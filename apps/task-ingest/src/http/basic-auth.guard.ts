import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ErrorCodes, TaskRouterError, isSid } from '@taskrouter/contract';
import type { Request } from 'express';
import { IngestContext } from '../ingest-context';

/**
 * HTTP Basic `AccountSid:AuthToken`, as TaskRouter. With TASKROUTER_AUTH_TOKEN set, only that
 * account and token pass; without it (development), any AC SID with any token is accepted and
 * names the account the request acts for.
 */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  constructor(private readonly context: IngestContext) {}

  canActivate(execution: ExecutionContext): boolean {
    const request = execution.switchToHttp().getRequest<Request & { accountSid?: string }>();
    const header = request.headers.authorization ?? '';
    const [scheme, encoded] = header.split(' ');
    const fail = () => new TaskRouterError(401, ErrorCodes.authenticationFailed, 'Authenticate with HTTP Basic: your Account SID as the username and your Auth Token as the password');
    if (scheme?.toLowerCase() !== 'basic' || !encoded) throw fail();
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const accountSid = decoded.slice(0, colon);
    const token = decoded.slice(colon + 1);
    if (colon < 0 || !isSid('AC', accountSid)) throw fail();
    const { accountSid: expectedAccount, authToken } = this.context.auth;
    if (authToken !== undefined && (accountSid !== expectedAccount || token !== authToken)) throw fail();
    request.accountSid = accountSid;
    return true;
  }
}
