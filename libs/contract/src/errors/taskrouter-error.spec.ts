import { badRequest, conflict, ErrorCodes, notFound, TaskRouterError, versionMismatch } from './taskrouter-error';

describe("TaskRouter's error body", () => {
  it('has exactly code, message, more_info and status', () => {
    expect(new TaskRouterError(400, 20001, 'Priority must be an integer').toBody()).toStrictEqual({
      code: 20001, message: 'Priority must be an integer', more_info: 'https://www.twilio.com/docs/errors/20001', status: 400,
    });
  });

  it.each<[string, TaskRouterError, number, number]>([
    ['a bad request', badRequest('bad'), 400, ErrorCodes.invalidParameter],
    ['a missing resource', notFound(), 404, ErrorCodes.notFound],
    ['a conflict', conflict('busy'), 409, ErrorCodes.conflict],
    ['an If-Match on another version', versionMismatch(7), 412, ErrorCodes.conflict],
  ])('gives %s its status and Twilio code', (_what, error, status, code) => {
    expect(error.toBody()).toMatchObject({ status, code, more_info: `https://www.twilio.com/docs/errors/${code}` });
  });

  it('names the current version when If-Match does not match', () => {
    expect(versionMismatch(7).message).toMatch(/version 7/);
  });

  it('uses the Twilio codes documented for these cases', () => {
    expect(ErrorCodes).toMatchObject({ invalidParameter: 20001, pageSizeTooLarge: 20007, notFound: 20404, tooManyRequests: 20429 });
  });

  it('is an Error a handler can recognise', () => {
    const error = notFound('The requested Worker was not found');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.message]).toEqual(['TaskRouterError', 'The requested Worker was not found']);
  });
});
