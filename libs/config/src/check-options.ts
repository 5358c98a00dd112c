export interface CheckOptions {
  /** How long one check may take before the dependency counts as unreachable; default 3000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 3000;
