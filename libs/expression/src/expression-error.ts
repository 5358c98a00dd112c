// The one error type of the library. The API layer turns it into a 400 naming the field,
// so it carries the position as data (offset, line, column) and the expectation, not
// only as text.

export interface SourcePosition {
  /** 0-based index into the source string (UTF-16 code units). */
  readonly offset: number;
  /** 1-based line; expressions are almost always one line. */
  readonly line: number;
  /** 1-based column within that line. */
  readonly column: number;
}

export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

export interface ExpressionErrorDetails {
  /** What the parser wanted at this point, e.g. `a value after IN`. */
  readonly expected?: string;
  /** What it found instead, e.g. `')'` or `end of expression`. */
  readonly found?: string;
  /** Extra context printed last, e.g. `to close the '(' at column 3`. */
  readonly hint?: string;
}

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly expected?: string;
  readonly found?: string;
  /** The message without the position, for callers that print the position themselves. */
  readonly reason: string;

  constructor(reason: string, source: string, offset: number, details: ExpressionErrorDetails = {}) {
    const position = positionAt(source, offset);
    const where = position.line === 1 ? `at column ${position.column}` : `at line ${position.line}, column ${position.column}`;
    const found = details.found === undefined ? '' : `, found ${details.found}`;
    const hint = details.hint === undefined ? '' : ` (${details.hint})`;
    super(`${reason} ${where}${found}${hint}`);
    this.reason = reason;
    this.offset = offset;
    this.line = position.line;
    this.column = position.column;
    this.expected = details.expected;
    this.found = details.found;
  }
}
