import { badRequest } from '../errors/taskrouter-error';
import { textProblem } from './text';

/** Deeper than any attribute document or workflow needs; bounds every recursive reader after us. */
export const MAX_JSON_DEPTH = 64;

/**
 * Checks a JSON document given as a parameter (`Attributes`, `Configuration`,
 * `EvaluateWorkerAttributes`) for what its text alone cannot show: escapes such as `\u0000` or
 * `\ud800` inside any key or string value, and nesting beyond MAX_JSON_DEPTH. A document that
 * is not JSON is left to the resource's own parser, which says where the syntax breaks.
 * Answers the parsed document, for further checks without parsing it again.
 */
export function checkJsonDocument(source: string, parameter: string): { readonly document: unknown } | undefined {
  let document: unknown;
  try {
    document = JSON.parse(source);
  } catch {
    return undefined;
  }
  const problem = findProblem(document, '', 0);
  if (problem) throw badRequest(`${parameter} ${problem}`);
  return { document };
}

function findProblem(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem && `has a string that is not valid text at ${where(path)}: it ${problem}`;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return `is nested more than ${MAX_JSON_DEPTH} levels deep (at ${where(path)})`;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = findProblem(value[index], `${path}[${index}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return `has a key that is not valid text in ${where(path)}: it ${keyProblem}`;
    const problem = findProblem(child, `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function where(path: string): string {
  const shown = path === '' ? '(the document)' : path.replace(/^\./, '');
  return JSON.stringify(shown.length > 120 ? `${shown.slice(0, 120)}…` : shown);
}
