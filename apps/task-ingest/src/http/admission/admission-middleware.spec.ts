import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { AdmissionGate } from './admission-gate';
import { admissionMiddleware } from './admission-middleware';

/** Just what the middleware touches of Express's request and response. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  readonly locals: Record<string, unknown> = {};
  readonly headers: Record<string, string> = {};
  body: unknown;
  setHeader(name: string, value: string) {
    this.headers[name] = value;
    return this;
  }
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  json(body: unknown) {
    this.body = body;
    this.emit('finish');
    this.emit('close');
    return this;
  }
}

function run(middleware: ReturnType<typeof admissionMiddleware>, method: string, path: string) {
  const response = new FakeResponse();
  const next = jest.fn() as unknown as NextFunction;
  middleware({ method, path } as Request, response as unknown as Response, next);
  return { response, next: next as unknown as jest.Mock };
}

describe('the admission middleware', () => {
  const gate = () => new AdmissionGate({ limits: { maxInFlight: 2, maxCreatesInFlight: 1 }, marks: { high: 10, low: 2 }, retryAfterMaxSeconds: 30, log: () => undefined });

  it('passes admitted requests on and counts them until their answer closes', () => {
    const g = gate();
    const middleware = admissionMiddleware(g);
    const first = run(middleware, 'POST', '/v1/Workspaces/WS1/Tasks');
    expect(first.next).toHaveBeenCalledWith();
    expect(g.snapshot()).toMatchObject({ inFlight: 1, createsInFlight: 1 });
    first.response.emit('close');
    first.response.emit('close');
    expect(g.snapshot()).toMatchObject({ inFlight: 0, createsInFlight: 0 });
  });

  it('lets a live stream give its place back once it is open, counting it once', () => {
    const g = gate();
    const middleware = admissionMiddleware(g);
    const stream = run(middleware, 'GET', '/v1/Workspaces/WS1/Events');
    expect(g.snapshot()).toMatchObject({ inFlight: 1 });
    (stream.response.locals.releaseAdmission as () => void)();
    expect(g.snapshot()).toMatchObject({ inFlight: 0 });
    stream.response.emit('close');
    expect(g.snapshot()).toMatchObject({ inFlight: 0 });
  });

  it('answers 429 in TaskRouter’s error shape with Retry-After beyond the in-flight bound, without calling the next handler', () => {
    const middleware = admissionMiddleware(gate());
    run(middleware, 'POST', '/v1/Workspaces/WS1/Tasks');
    const refused = run(middleware, 'POST', '/v1/Workspaces/WS1/Tasks');
    expect(refused.next).not.toHaveBeenCalled();
    expect(refused.response.statusCode).toBe(429);
    expect(refused.response.headers).toEqual({ 'Retry-After': '1' });
    expect(refused.response.body).toEqual({ code: 20429, message: expect.stringMatching(/^Too many requests/), more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });
    // A read still fits, then nothing does.
    expect(run(middleware, 'GET', '/v1/Workspaces/WS1/Tasks').next).toHaveBeenCalled();
    expect(run(middleware, 'GET', '/v1/Workspaces/WS1/Tasks').response.statusCode).toBe(429);
  });

  it('answers task creations 503 with Retry-After while the backlog is shed, and lets the rest through', () => {
    const g = gate();
    g.observe({ relay: 0, evaluator: 50, matcher: 0, logHead: 0, unknown: [] }, 0);
    const middleware = admissionMiddleware(g);
    const refused = run(middleware, 'POST', '/v1/Workspaces/WS1/Tasks');
    expect(refused.response.statusCode).toBe(503);
    expect(refused.response.headers).toEqual({ 'Retry-After': '30' });
    expect(refused.response.body).toEqual({ code: 20503, message: expect.stringMatching(/^Service unavailable: routing is behind/), more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 });
    expect(run(middleware, 'POST', '/v1/Workspaces/WS1/Tasks/WT1').next).toHaveBeenCalled();
  });
});
