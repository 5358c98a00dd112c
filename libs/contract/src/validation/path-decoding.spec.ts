import { TaskRouterError } from '../errors/taskrouter-error';
import { checkPath, MAX_PATH_SEGMENT_LENGTH } from './path-decoding';

function refusal(path: string): TaskRouterError {
  try {
    checkPath(path);
  } catch (error) {
    if (error instanceof TaskRouterError) return error;
    throw error;
  }
  throw new Error('expected the path to be refused');
}

describe('checking a request path', () => {
  it('accepts SIDs, unique names, percent-encoded UTF-8 and a + (which is no space in a path)', () => {
    expect(() => checkPath('/v1/Workspaces/WS0123/Workers/WK1/Channels/voice')).not.toThrow();
    expect(() => checkPath('/v1/Workspaces/%E2%82%AC+x/%zz/')).not.toThrow();
  });

  it.each([
    ['/v1/Workspaces/%00', /contains a NUL/],
    ['/v1/Workspaces/%FF', /A path segment is not valid UTF-8/],
    ['/v1/Workspaces/%ED%A0%80', /not valid UTF-8/],
    [`/v1/Workspaces/${'W'.repeat(MAX_PATH_SEGMENT_LENGTH + 1)}`, /is 257 characters long/],
  ])('refuses %s with 400', (path, message) => {
    const error = refusal(path);
    expect(error.toBody()).toMatchObject({ status: 400, code: 20001 });
    expect(error.message).toMatch(message);
  });
});
