import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';
import type { NextFunction, Request, Response } from 'express';

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
const TEXT_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

const unsupported = (message: string) => new TaskRouterError(415, ErrorCodes.unsupportedMediaType, message);

/**
 * TaskRouter's creates and updates take `application/x-www-form-urlencoded` bodies in UTF-8,
 * uncompressed. Any other body on a POST (JSON, multipart, text/plain, a body without a
 * Content-Type, gzip or br encoding, another charset) is answered 415 before a byte of it is
 * read, instead of being skipped and the request answered as if it had no parameters.
 * A POST without a body is a request without parameters. Bodies of other methods are not read.
 */
export function refuseUnsupportedBodies(request: Request, _response: Response, next: NextFunction): void {
  next(request.method === 'POST' && hasBody(request) ? bodyProblem(request) : undefined);
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
}

function bodyProblem(request: Request): TaskRouterError | undefined {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    return unsupported(`Content-Encoding '${encoding.slice(0, 64)}' is not supported: send the body uncompressed`);
  }
  const contentType = request.headers['content-type'];
  if (contentType === undefined || contentType.trim() === '') {
    return unsupported(`A request body needs Content-Type: ${FORM_MEDIA_TYPE}`);
  }
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== FORM_MEDIA_TYPE) {
    return unsupported(`Content-Type '${mediaType.slice(0, 100)}' is not supported: TaskRouter takes ${FORM_MEDIA_TYPE} bodies`);
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && !TEXT_CHARSETS.has(charset)) {
    return unsupported(`Charset '${charset.slice(0, 64)}' is not supported: TaskRouter parameters are UTF-8`);
  }
  return undefined;
}
