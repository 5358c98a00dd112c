import { checkParameterLimits, checkPath, checkStoredSize, decodeForm, wireBytes, type FormValues } from '@taskrouter/contract';
import type { NextFunction, Request, Response } from 'express';

/**
 * Validation at the edge, once, before authentication and before any controller: the path's
 * segments, the query and the form body are decoded strictly (UTF-8, no NUL), every parameter
 * is held to its bound (docs/limits.md), JSON documents are checked inside, and a body's values
 * must fit an event once stored. What passes replaces Express's lenient `req.query` and the raw
 * body, as records without a prototype; what fails is answered 400/413 naming the parameter.
 */
export function decodeAtTheEdge(request: Request, _response: Response, next: NextFunction): void {
  try {
    const url = request.originalUrl;
    const queryStart = url.indexOf('?');
    checkPath(queryStart < 0 ? url : url.slice(0, queryStart));
    const query = queryStart < 0 ? emptyForm() : decodeForm(wireBytes(url.slice(queryStart + 1)), 'query');
    checkParameterLimits(query);
    Object.defineProperty(request, 'query', { value: query, enumerable: true, configurable: true, writable: true });
    const body = Buffer.isBuffer(request.body) ? decodeForm(request.body, 'body') : emptyForm();
    checkParameterLimits(body);
    checkStoredSize(body);
    request.body = body;
    next();
  } catch (error) {
    next(error);
  }
}

function emptyForm(): FormValues {
  return Object.create(null) as FormValues;
}
