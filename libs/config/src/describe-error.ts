/**
 * A one-line reason for a failed connection. Node reports a refused connection to a name with
 * several addresses (localhost -> ::1, 127.0.0.1) as an AggregateError with an empty message.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    const reasons = error.errors.map(describeError);
    return error.message ? `${error.message}: ${reasons.join('; ')}` : reasons.join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
