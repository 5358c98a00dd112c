import type { CheckResult } from './cached-check';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly body: {
    readonly status: 'ready' | 'not ready';
    /** The names of the checks that failed, first: what an operator reads. */
    readonly failed: string[];
    readonly checks: Record<string, { ok: boolean; detail?: string; ms: number }>;
  };
}

/** Ready only when every check passed (and there was at least one): the probe's status and body. */
export function readinessReport(results: readonly CheckResult[]): ReadinessReport {
  const failed = results.filter((result) => !result.ok).map((result) => result.name);
  const checks: ReadinessReport['body']['checks'] = {};
  for (const { name, ok, detail, ms } of results) checks[name] = detail === undefined ? { ok, ms } : { ok, detail, ms };
  const ready = results.length > 0 && failed.length === 0;
  return { ready, body: { status: ready ? 'ready' : 'not ready', failed, checks } };
}
