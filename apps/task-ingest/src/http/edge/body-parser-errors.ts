import { ErrorCodes, TaskRouterError, badRequest } from '@taskrouter/contract';

/** The errors body-parser raises (`type`, HTTP `status`, and the `limit` for a body too large). */
interface BodyParserError { readonly type: string; readonly status?: number; readonly limit?: number }

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
    && typeof (error as { status?: unknown }).status === 'number';
}

/**
 * Reading the body failed before any parameter was seen: too large, an encoding or charset it
 * cannot read, a body shorter than its Content-Length, a client that went away. Each is the
 * client's doing and gets its 4xx in TaskRouter's shape; anything else is not ours to name.
 */
export function fromBodyParserError(error: unknown): TaskRouterError | undefined {
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return new TaskRouterError(413, ErrorCodes.tooLarge,
        error.limit === undefined ? 'Request entity too large' : `Request entity too large: a request body may hold at most ${error.limit} bytes`);
    case 'parameters.too.many':
      return new TaskRouterError(413, ErrorCodes.tooLarge, 'Request entity too large: too many parameters');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new TaskRouterError(415, ErrorCodes.unsupportedMediaType, 'The body is in an encoding or charset TaskRouter does not read: send UTF-8, uncompressed');
    case 'request.size.invalid':
      return badRequest('The request body is not as long as its Content-Length says');
    case 'request.aborted':
      return badRequest('The request was aborted before its body was complete');
    default:
      if (error.status === undefined || error.status < 400 || error.status >= 500) return undefined;
      return new TaskRouterError(error.status, ErrorCodes.invalidParameter, 'The request body could not be read');
  }
}
