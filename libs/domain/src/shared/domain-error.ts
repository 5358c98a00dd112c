/**
 * A command the current state refuses. `kind` lets the edge choose the HTTP status:
 * not-found 404, conflict 409 (the state does not allow it now), invalid 400 (never valid).
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'invalid';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** The request parameter at fault, when there is one. */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
