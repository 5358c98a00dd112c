import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** Where every benchmark saves what it measured (ignored by git: figures belong to a machine and a day). */
export const BENCH_RESULTS_DIR = join(__dirname, '..', '..', '..', 'bench-results');

/**
 * Saves one run's figures as `bench-results/<name>-<timestamp>.json` and `<name>-latest.json`,
 * with the machine they were measured on, and returns the timestamped path.
 */
export function saveBenchResults(name: string, figures: Record<string, unknown>, extension = 'json', text?: string): string {
  mkdirSync(BENCH_RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const body = text ?? JSON.stringify({ name, measuredAt: new Date().toISOString(), machine: machineSummary(), ...figures }, null, 2);
  const path = join(BENCH_RESULTS_DIR, `${name}-${stamp}.${extension}`);
  writeFileSync(path, body);
  writeFileSync(join(BENCH_RESULTS_DIR, `${name}-latest.${extension}`), body);
  return path;
}

function machineSummary(): Record<string, unknown> {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

/** One progress line on stderr, rewritten in place on a terminal, so a long run shows it is alive. */
export function reportProgress(label: string, done: number, total: number, extra = ''): void {
  const width = 30;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
  const line = `${label} [${bar}] ${done}/${total}${extra ? ` ${extra}` : ''}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else process.stderr.write(`${line}\n`);
}
