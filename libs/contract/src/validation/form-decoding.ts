import { ErrorCodes, TaskRouterError, badRequest } from '../errors/taskrouter-error';
import type { FormValues } from '../form/form-values';
import { percentDecode } from './percent-decoding';
import { quoteForMessage, textProblem } from './text';

/** More parameters than any TaskRouter request needs; beyond it the request is refused (413). */
export const MAX_PARAMETERS = 1_000;
/** Parameter names are TaskRouter's PascalCase words; a longer name is no parameter of ours. */
export const MAX_PARAMETER_NAME_LENGTH = 256;

const AMPERSAND = 0x26;
const EQUALS = 0x3d;

/**
 * Decodes `application/x-www-form-urlencoded` bytes (a body, or a query string) strictly:
 * percent-escapes must spell UTF-8, and names and values must be text we can store. Node's
 * `querystring` would turn bad UTF-8 into U+FFFD and keep NULs; here the request is refused
 * with the parameter named. Repeated names give arrays, as before. The result has no
 * prototype, so no parameter name can reach `Object.prototype`.
 */
export function decodeForm(bytes: Uint8Array, where: 'body' | 'query'): FormValues {
  const values: FormValues = Object.create(null);
  let count = 0;
  for (let start = 0; start <= bytes.length; ) {
    let end = bytes.indexOf(AMPERSAND, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      if (++count > MAX_PARAMETERS) {
        const message = `Request entity too large: the ${where} has more than ${MAX_PARAMETERS} parameters`;
        throw new TaskRouterError(413, ErrorCodes.tooLarge, message);
      }
      const pair = bytes.subarray(start, end);
      const equals = pair.indexOf(EQUALS);
      const rawName = equals < 0 ? pair : pair.subarray(0, equals);
      const name = percentDecode(rawName, { plusIsSpace: true }, () => `A parameter name in the ${where}`);
      checkName(name, where);
      const rawValue = equals < 0 ? new Uint8Array(0) : pair.subarray(equals + 1);
      const value = percentDecode(rawValue, { plusIsSpace: true }, () => `Parameter ${quoteForMessage(name)}`);
      const problem = textProblem(value);
      if (problem) throw badRequest(`Parameter ${quoteForMessage(name)} is not valid text: it ${problem}`);
      const previous = values[name];
      if (previous === undefined) values[name] = value;
      else if (Array.isArray(previous)) previous.push(value);
      else values[name] = [previous, value];
    }
    start = end + 1;
  }
  return values;
}

function checkName(name: string, where: string): void {
  const problem = textProblem(name);
  if (problem) throw badRequest(`A parameter name in the ${where} is not valid text: it ${problem}`);
  if (name.length > MAX_PARAMETER_NAME_LENGTH) {
    throw badRequest(`A parameter name in the ${where} is ${name.length} characters long; at most ${MAX_PARAMETER_NAME_LENGTH} are allowed`);
  }
}
