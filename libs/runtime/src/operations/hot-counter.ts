import { Counter, type Registry } from 'prom-client';
import { exportThrough, type MetricSamples } from './exported-samples';

interface Cell {
  readonly labels: Record<string, string>;
  value: number;
}

/**
 * A Prometheus counter with at most two labels whose increment is a Map lookup and an addition.
 * prom-client's own `inc` builds a label hash string and a result object per call, too much for a
 * per-event path; this one allocates only the first time a label pair is seen, and turns its cells
 * into samples when scraped. Label values must come from a bounded set (never a SID).
 */
export class HotCounter {
  private readonly cells = new Map<string, Map<string, Cell>>();

  constructor(registry: Registry, readonly name: string, private readonly help: string, private readonly labels: readonly string[] = []) {
    if (labels.length > 2) throw new Error(`${name}: a HotCounter takes at most two labels`);
    const exported = new Counter({ name, help, labelNames: [...labels], registers: [registry] });
    // The registry reads a metric through get() when scraped: the exported counter answers with these cells.
    exportThrough(exported, () => this.samples());
  }

  /** Adds `by` to the cell of the label values (`second` only for a two-label counter). */
  add(first = '', second = '', by = 1): void {
    let inner = this.cells.get(first);
    if (!inner) this.cells.set(first, (inner = new Map()));
    const cell = inner.get(second);
    if (cell) cell.value += by;
    else inner.set(second, { labels: this.labelsOf(first, second), value: by });
  }

  /** The current value of one label pair (0 when never counted). */
  valueOf(first = '', second = ''): number {
    return this.cells.get(first)?.get(second)?.value ?? 0;
  }

  private samples(): MetricSamples {
    const values = [];
    for (const inner of this.cells.values()) for (const cell of inner.values()) values.push({ labels: { ...cell.labels }, value: cell.value });
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }

  private labelsOf(first: string, second: string): Record<string, string> {
    const labels: Record<string, string> = {};
    if (this.labels[0]) labels[this.labels[0]] = first;
    if (this.labels[1]) labels[this.labels[1]] = second;
    return labels;
  }
}
