/** p50/p90/p99/max of a set of durations in milliseconds (nearest rank), or nulls when there is none. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export function summarizeLatencies(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
  return { count: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: round(sorted[sorted.length - 1]) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export function formatLatencies(summary: LatencySummary): string {
  if (summary.count === 0) return 'none';
  const ms = (value: number | null) => (value === null ? '-' : value >= 100 ? value.toFixed(0) : value.toFixed(1));
  return `p50 ${ms(summary.p50)} / p90 ${ms(summary.p90)} / p99 ${ms(summary.p99)} ms (max ${ms(summary.max)}, n=${summary.count})`;
}
