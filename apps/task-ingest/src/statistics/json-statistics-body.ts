import { ErrorCodes, TaskRouterError, badRequest } from '@taskrouter/contract';
import type { NextFunction, Request, Response } from 'express';

/** The one TaskRouter endpoint whose body is JSON (docs/api-coverage.md): `POST /TaskQueues/RealTimeStatistics`. */
const BULK_STATISTICS_PATH = /^\/v1\/Workspaces\/[^/]+\/TaskQueues\/RealTimeStatistics\/?$/i;
/** 50 SIDs take about 2 KB; anything much larger is not a bulk statistics request. */
export const MAX_JSON_STATISTICS_BODY = 16 * 1024;

const bodies = new WeakMap<Request, unknown>();

/** The JSON document the bulk statistics request carried, if it carried one. */
export function jsonBodyOf(request: Request): unknown {
  return bodies.get(request);
}

/**
 * Reads the bulk statistics request's `application/json` body before the edge, which takes form
 * bodies only: strict UTF-8, at most 16 KB (413 above), valid JSON (400 otherwise). The request
 * then goes on as one without a body; the controller takes the document from `jsonBodyOf`.
 */
export function readJsonStatisticsBody(request: Request, _response: Response, next: NextFunction): void {
  const mediaType = request.headers['content-type']?.split(';')[0].trim().toLowerCase();
  if (request.method !== 'POST' || mediaType !== 'application/json' || !BULK_STATISTICS_PATH.test(request.path)) {
    next();
    return;
  }
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    next(new TaskRouterError(415, ErrorCodes.unsupportedMediaType, `Content-Encoding '${encoding.slice(0, 64)}' is not supported: send the body uncompressed`));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  const fail = (error: TaskRouterError) => {
    if (failed) return;
    failed = true;
    request.removeAllListeners('data');
    request.resume();
    next(error);
  };
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_JSON_STATISTICS_BODY) fail(new TaskRouterError(413, ErrorCodes.tooLarge, `The JSON body exceeds ${MAX_JSON_STATISTICS_BODY} bytes`));
    else chunks.push(chunk);
  });
  request.on('error', () => fail(badRequest('The request body could not be read')));
  request.on('end', () => {
    if (failed) return;
    let document: unknown;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
      document = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      fail(badRequest('The body is not valid JSON in UTF-8'));
      return;
    }
    bodies.set(request, document);
    // Read here: what follows sees a request without a body.
    request.headers['content-length'] = '0';
    delete request.headers['transfer-encoding'];
    next();
  });
}
