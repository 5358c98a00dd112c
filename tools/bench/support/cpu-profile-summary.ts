/**
 * Summarises V8 CPU profiles (`node --cpu-prof`) the way the performance notes quote them: where the
 * busy time of one process goes, by function and by package or source file, idle time left out.
 *
 *   node -r ./tools/register.js tools/bench/support/cpu-profile-summary.ts /tmp/prof/*.cpuprofile [--top=30]
 *
 * Run a benchmark with `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` to get one profile per service.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const NOT_BUSY = new Set(['(idle)', '(program)', '(garbage collector)']);

/** `node_modules/pg/lib/client.js` → `pg`; our own files by their path inside the repository. */
function placeOf(url: string): string {
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const repo = url.indexOf('/apps/') >= 0 ? url.indexOf('/apps/') : url.indexOf('/libs/');
  return repo >= 0 ? url.slice(repo + 1) : url;
}

function table(title: string, rows: Map<string, number>, busyUs: number, top: number): string {
  const sorted = [...rows.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = sorted.map(([name, us]) => `  ${((us / busyUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  return [`${title}:`, ...lines].join('\n');
}

export function summariseProfile(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let busyUs = 0;
  let gcUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(garbage collector)') gcUs += us;
    if (NOT_BUSY.has(frame.functionName)) continue;
    busyUs += us;
    const place = placeOf(frame.url);
    const name = `${frame.functionName || '(anonymous)'} ${place}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  const wallUs = profile.endTime - profile.startTime;
  const head = `busy ${(busyUs / 1e6).toFixed(2)} s of ${(wallUs / 1e6).toFixed(1)} s; garbage collection ${(gcUs / 1e6).toFixed(2)} s`;
  return [head, table('by package or file (self time)', byPlace, busyUs, top), table('by function (self time)', byFunction, busyUs, top)].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const top = Number(args.find((arg) => arg.startsWith('--top='))?.slice('--top='.length) ?? 25);
  for (const file of args.filter((arg) => !arg.startsWith('--'))) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`\n=== ${file}\n${summariseProfile(profile, top)}`);
  }
}

if (require.main === module) main();
