import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BENCH_RESULTS_DIR } from './support/bench-results';

/**
 * `npm run bench [-- --quick]`: every benchmark, one after another, each its own process
 * (`node -r ./tools/register.js <script> [--quick]`), then where each saved its results.
 * The stack benchmarks need Kafka: without KAFKA_BROKERS this re-runs itself under
 * tools/stack/with-stack.js, which checks Postgres and Redis and starts the local broker if needed.
 * Benchmarks whose file is not there (yet) are skipped. Each can still be run alone (docs/performance.md).
 */
const REPO_ROOT = join(__dirname, '..', '..');

interface Benchmark {
  readonly name: string;
  readonly script: string;
  /** What its files in bench-results/ start with (saveBenchResults' name). */
  readonly results: string;
}

const BENCHMARKS: readonly Benchmark[] = [
  { name: 'expression evaluation', script: 'tools/bench/expression/expression.bench.ts', results: 'expression' },
  { name: 'steady loop and BullMQ', script: 'tools/bench/steady-loop/steady-loop.bench.ts', results: 'steady-loop' },
  { name: 'replay', script: 'tools/bench/replay/replay.bench.ts', results: 'replay' },
  { name: 'matcher', script: 'tools/bench/matcher/matcher.bench.ts', results: 'matcher' },
  { name: 'statistics', script: 'tools/bench/statistics/statistics.bench.ts', results: 'statistics' },
];

interface Outcome {
  readonly benchmark: Benchmark;
  readonly status: 'passed' | 'failed' | 'absent';
  readonly code?: number | null;
  readonly seconds?: number;
  readonly saved: readonly string[];
}

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

function resultFiles(): Set<string> {
  return new Set(existsSync(BENCH_RESULTS_DIR) ? readdirSync(BENCH_RESULTS_DIR) : []);
}

function run(command: string, args: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit', env: process.env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGTERM', forward);
    child.once('error', (error) => {
      say(`cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      process.removeListener('SIGTERM', forward);
      resolve(signal ? 128 : code);
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--quick');
  if (unknown.length > 0) {
    say(`unknown argument ${unknown.join(' ')}; usage: npm run bench [-- --quick]`);
    return 2;
  }
  const quick = args.includes('--quick');
  if (!process.env.KAFKA_BROKERS) {
    say('KAFKA_BROKERS is unset: running under tools/stack/with-stack.js (local broker)');
    return (await run(process.execPath, [join('tools', 'stack', 'with-stack.js'), '--', process.execPath, '-r', './tools/register.js', relative(REPO_ROOT, __filename), ...args])) ?? 1;
  }
  const outcomes: Outcome[] = [];
  for (const benchmark of BENCHMARKS) {
    if (!existsSync(join(REPO_ROOT, benchmark.script))) {
      outcomes.push({ benchmark, status: 'absent', saved: [] });
      continue;
    }
    say(`${benchmark.name}: node -r ./tools/register.js ${benchmark.script}${quick ? ' --quick' : ''}`);
    const before = resultFiles();
    const started = Date.now();
    const code = await run(process.execPath, ['-r', './tools/register.js', benchmark.script, ...(quick ? ['--quick'] : [])]);
    // Only its own new files: someone else's run may save into the same folder meanwhile.
    const saved = [...resultFiles()].filter((file) => !before.has(file) && file.startsWith(`${benchmark.results}-`) && !file.includes('-latest.')).sort();
    outcomes.push({ benchmark, status: code === 0 ? 'passed' : 'failed', code, seconds: (Date.now() - started) / 1000, saved });
  }

  console.log(`\nbenchmarks${quick ? ' (--quick)' : ''}:`);
  for (const outcome of outcomes) {
    const head = `  ${outcome.benchmark.name.padEnd(24)}`;
    if (outcome.status === 'absent') {
      console.log(`${head} skipped: ${outcome.benchmark.script} is not there`);
      continue;
    }
    const how = outcome.status === 'passed' ? 'done' : `FAILED (exit ${outcome.code})`;
    const where = outcome.saved.length ? outcome.saved.map((file) => relative(REPO_ROOT, join(BENCH_RESULTS_DIR, file))).join(', ') : 'printed only, nothing saved';
    console.log(`${head} ${how} in ${outcome.seconds?.toFixed(0)} s: ${where}`);
  }
  if (outcomes.some((o) => o.saved.length)) console.log(`  (each also as <name>-latest.<ext> in ${relative(REPO_ROOT, BENCH_RESULTS_DIR)}/)`);
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
