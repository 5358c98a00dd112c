import { Histogram, type Registry } from 'prom-client';
import { exportThrough, type MetricSamples } from './exported-samples';

/** Seconds, from a fast Redis command to a slow routing: 0.5 ms to 30 s. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Series {
  readonly labels: Record<string, string>;
  /** Per bucket (not cumulative), the last one for above every bound (+Inf). */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram with at most one label whose `record` is a bucket search and three
 * additions into preallocated arrays: prom-client's own histogram hashes its labels per call. The
 * cumulative buckets are computed when scraped. Label values must come from a bounded set.
 */
export class LatencyHistogram {
  private readonly series = new Map<string, Series>();
  private readonly bounds: readonly number[];

  constructor(registry: Registry, readonly name: string, private readonly help: string, private readonly label?: string, buckets: readonly number[] = LATENCY_BUCKETS_SECONDS) {
    this.bounds = [...buckets].sort((a, b) => a - b);
    const exported = new Histogram({ name, help, labelNames: label ? [label] : [], buckets: [...this.bounds], registers: [registry] });
    // The registry reads a metric through get() when scraped: the exported histogram answers with these series.
    exportThrough(exported, () => this.samples());
  }

  /** Records one duration in seconds (`labelValue` only for a labelled histogram). */
  record(seconds: number, labelValue = ''): void {
    const key = labelValue;
    let series = this.series.get(key);
    if (!series) {
      series = { labels: this.label ? { [this.label]: key } : {}, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) bucket++;
    series.counts[bucket]++;
    series.sum += seconds;
    series.count++;
  }

  /** How many durations were observed (for one label value). */
  countOf(labelValue = ''): number {
    return this.series.get(labelValue)?.count ?? 0;
  }

  private samples(): MetricSamples {
    const values = [];
    for (const series of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += series.counts[i];
        const le = i < this.bounds.length ? String(this.bounds[i]) : '+Inf';
        values.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels: { ...series.labels }, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...series.labels }, value: series.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
