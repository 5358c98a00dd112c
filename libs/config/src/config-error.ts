/**
 * A configuration problem the operator must fix: a malformed variable or an unreachable
 * dependency. The message names the variable, so the fix is obvious from the first log line.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
