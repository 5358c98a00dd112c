import type { Metric } from 'prom-client';

/** What prom-client's registry reads of a metric when it writes the exposition text. */
export interface MetricSamples {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: { metricName?: string; labels: Record<string, string>; value: number }[];
}

/**
 * Makes a registered prom-client metric answer with `samples` when scraped (both of the registry's
 * ways of reading it: get() and, for histograms, getForPromString()), so the counting itself can
 * live in plain arrays and maps: the registry keeps its formatting, help and type lines.
 */
export function exportThrough(metric: Metric, samples: () => MetricSamples): void {
  const read = () => Promise.resolve(samples());
  Object.assign(metric, { get: read, getForPromString: read });
}
