/**
 * A lone UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by a
 * high one. JSON escapes (`\ud800`) produce them; they are not Unicode, and Postgres refuses them.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored as text, or undefined when it can. Postgres `text` and `jsonb`
 * refuse NUL and lone surrogates, so a value holding one would fail every later write and read
 * that carries it (a poison event); such values are refused at the edge, never stripped.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate, which is not Unicode text';
  return undefined;
}

/** A user-supplied name as it appears in an error message: quoted, escaped, and short. */
export function quoteForMessage(value: string, max = 64): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}
