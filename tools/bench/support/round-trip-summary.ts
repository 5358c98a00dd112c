/**
 * Sums what `round-trip-counter.js` wrote per service into round trips per task:
 *
 *   node -r ./tools/register.js tools/bench/support/round-trip-summary.ts /tmp/rt <tasks completed>
 *
 * Stream-read lines (`read  …`, written with ROUND_TRIPS_CALLERS) are callers of reads already counted
 * as Postgres statements, so they are left out of the sums.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SYSTEMS = ['pg', 'kafka', 'redis'] as const;

export function roundTripsPerTask(dir: string, tasks: number): string {
  const rows: string[] = [`service                 ${SYSTEMS.map((s) => s.padStart(7)).join('')}   total  (per task, ${tasks} tasks)`];
  const totals = new Map<string, number>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.txt')).sort()) {
    const sums = new Map<string, number>();
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const match = /^\s*(\d+) (\w+)\s/.exec(line);
      if (match && (SYSTEMS as readonly string[]).includes(match[2])) sums.set(match[2], (sums.get(match[2]) ?? 0) + Number(match[1]));
    }
    const service = file.replace(/-\d+\.txt$/, '');
    const perTask = SYSTEMS.map((system) => (sums.get(system) ?? 0) / tasks);
    SYSTEMS.forEach((system, i) => totals.set(system, (totals.get(system) ?? 0) + perTask[i]));
    rows.push(`${service.padEnd(24)}${perTask.map((n) => n.toFixed(1).padStart(7)).join('')}${perTask.reduce((a, b) => a + b, 0).toFixed(1).padStart(8)}`);
  }
  const all = SYSTEMS.map((system) => totals.get(system) ?? 0);
  rows.push(`${'all services'.padEnd(24)}${all.map((n) => n.toFixed(1).padStart(7)).join('')}${all.reduce((a, b) => a + b, 0).toFixed(1).padStart(8)}`);
  return rows.join('\n');
}

if (require.main === module) {
  const [dir, tasks] = process.argv.slice(2);
  if (!dir || !(Number(tasks) > 0)) throw new Error('usage: round-trip-summary.ts <dir> <tasks completed>');
  console.log(roundTripsPerTask(dir, Number(tasks)));
}
