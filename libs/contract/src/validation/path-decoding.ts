import { badRequest } from '../errors/taskrouter-error';
import { percentDecode, wireBytes } from './percent-decoding';
import { textProblem } from './text';

/** Longer than any SID (34) or unique name (64) a path names; a longer segment is refused. */
export const MAX_PATH_SEGMENT_LENGTH = 256;

/**
 * Decodes every segment of a request path strictly (UTF-8, no NUL, bounded), so that no
 * controller, query or log line ever meets a path segment that is not text.
 */
export function checkPath(path: string): void {
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const decoded = percentDecode(wireBytes(segment), { plusIsSpace: false }, () => 'A path segment');
    const problem = textProblem(decoded);
    if (problem) throw badRequest(`A path segment is not valid text: it ${problem}`);
    if (decoded.length > MAX_PATH_SEGMENT_LENGTH) {
      throw badRequest(`A path segment is ${decoded.length} characters long; at most ${MAX_PATH_SEGMENT_LENGTH} are allowed`);
    }
  }
}
