import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';
import type { NextFunction, Request, Response } from 'express';
import type { AdmissionDecision } from './admission-policy';
import type { AdmissionGate } from './admission-gate';
import { requestKind } from './request-kind';

/**
 * First in the request pipeline, before a byte of the body is read or the caller authenticated:
 * one path test, the gate's counters and its shedding flag. An admitted request counts as in
 * flight until its answer is finished or its connection closed (`close` fires in both cases,
 * once). A refused one is answered at once in TaskRouter's error shape with `Retry-After`.
 */
export function admissionMiddleware(gate: AdmissionGate) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const kind = requestKind(request.method, request.path);
    const decision = gate.admit(kind);
    if (!decision.admit) {
      answerRefusal(response, refusalOf(decision));
      return;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      gate.release(kind);
    };
    // A live stream stays open for hours: it gives its place back once it is open (live/event-stream.ts).
    response.locals.releaseAdmission = release;
    response.once('close', release);
    next();
  };
}

export function refusalOf(decision: Exclude<AdmissionDecision, { admit: true }>): TaskRouterError {
  const headers = { 'Retry-After': String(decision.retryAfterSeconds) };
  if (decision.reason === 'backlog') {
    return new TaskRouterError(503, ErrorCodes.unavailable,
      `Service unavailable: routing is behind, so new tasks are not accepted until it catches up; retry after ${decision.retryAfterSeconds} seconds`, headers);
  }
  return new TaskRouterError(429, ErrorCodes.tooManyRequests,
    `Too many requests: this server is handling as many requests as it takes at once; retry after ${decision.retryAfterSeconds} seconds`, headers);
}

function answerRefusal(response: Response, error: TaskRouterError): void {
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  response.status(error.status).json(error.toBody());
}
