// Evaluations per second of compiled expressions next to hand-written JavaScript doing
// the same work, measured in the same run. Bounded: about 5 seconds.
//   node -r ./tools/register.js tools/bench/expression/expression.bench.ts
import { compileExpression, type BareKeyScope, type EvaluationContext } from '@taskrouter/expression';

interface BenchCase {
  readonly name: string;
  readonly source: string;
  readonly bareKeys: BareKeyScope;
  readonly handWritten: (context: EvaluationContext) => boolean;
}

const MEASURE_MS = 150;
const ROUNDS = 3;
const CONTEXT_COUNT = 1024; // varied inputs, so neither side sees one constant shape of answer

const LANGUAGES = ['en', 'fr', 'es', 'de'];
const SKILLS = ['support', 'sales', 'billing', 'tech'];
const TIERS = ['Gold', 'Silver', 'Bronze', 'Iron'];
const TARGET_TIERS = ['Silver', 'Bronze', 'Gold'];

// A deterministic pseudo-random sequence, so every run measures the same inputs.
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function makeContexts(): EvaluationContext[] {
  const next = sequence(42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  return Array.from({ length: CONTEXT_COUNT }, () => ({
    task: { type: pick(['ticket', 'lead', 'call']), language: pick(LANGUAGES), skill_rating: Math.round(next() * 100) / 10, customer_value: pick(TIERS), required_language: pick(LANGUAGES), min_level: Math.floor(next() * 10) },
    worker: {
      sid: `WK${Math.floor(next() * 1000)}`,
      attributes: { skills: SKILLS.filter(() => next() < 0.5), languages: LANGUAGES.filter(() => next() < 0.5), level: Math.floor(next() * 10) },
    },
  }));
}

const CASES: readonly BenchCase[] = [
  {
    name: 'simple comparison',
    source: "type == 'ticket'",
    bareKeys: 'task',
    handWritten: (context) => context.task?.type === 'ticket',
  },
  {
    name: 'three-clause AND/OR',
    source: '(language == "en" OR language == "fr") AND skill_rating >= 5.1',
    bareKeys: 'task',
    handWritten: (context) => {
      const task = context.task;
      if (!task) return false;
      const language = task.language;
      const rating = task.skill_rating;
      return (language === 'en' || language === 'fr') && typeof rating === 'number' && rating >= 5.1;
    },
  },
  {
    name: 'HAS over arrays',
    source: "skills HAS 'support' AND languages HAS 'en'",
    bareKeys: 'worker',
    handWritten: (context) => {
      const attributes = context.worker?.attributes;
      if (!attributes) return false;
      const { skills, languages } = attributes;
      return Array.isArray(skills) && skills.includes('support') && Array.isArray(languages) && languages.includes('en');
    },
  },
  {
    name: 'IN over an array',
    source: "customer_value IN ['Silver', 'Bronze', 'Gold']",
    bareKeys: 'task',
    handWritten: (context) => {
      const value = context.task?.customer_value;
      return typeof value === 'string' && TARGET_TIERS.includes(value);
    },
  },
  {
    name: 'target: task and worker',
    source: 'task.required_language IN worker.languages AND worker.level >= task.min_level',
    bareKeys: 'worker',
    handWritten: (context) => {
      const task = context.task;
      const attributes = context.worker?.attributes;
      if (!task || !attributes) return false;
      const languages = attributes.languages;
      const level = attributes.level;
      const minimum = task.min_level;
      return Array.isArray(languages) && languages.includes(task.required_language) && typeof level === 'number' && typeof minimum === 'number' && level >= minimum;
    },
  },
];

/** Evaluations per second of `evaluate` over the contexts, for about MEASURE_MS. */
function measure(evaluate: (context: EvaluationContext) => boolean, contexts: readonly EvaluationContext[]): { perSecond: number; matches: number } {
  let evaluations = 0;
  let matches = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(MEASURE_MS) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < contexts.length; i++) if (evaluate(contexts[i])) matches++;
    evaluations += contexts.length;
    elapsed = process.hrtime.bigint() - start;
  }
  return { perSecond: (evaluations * 1e9) / Number(elapsed), matches };
}

function formatRate(perSecond: number): string {
  return `${(perSecond / 1e6).toFixed(1)} M/s`;
}

function main(): void {
  const contexts = makeContexts();
  const rows: string[][] = [];
  for (const benchCase of CASES) {
    const compiled = compileExpression(benchCase.source, { bareKeys: benchCase.bareKeys });
    const evaluate = (context: EvaluationContext) => compiled.evaluate(context);
    // Both must give the same answers, or the comparison means nothing.
    const disagreements = contexts.filter((context) => evaluate(context) !== benchCase.handWritten(context)).length;
    if (disagreements > 0) throw new Error(`${benchCase.name}: compiled and hand-written disagree on ${disagreements} inputs`);
    let bestCompiled = 0;
    let bestHand = 0;
    for (let round = 0; round < ROUNDS; round++) {
      bestCompiled = Math.max(bestCompiled, measure(evaluate, contexts).perSecond);
      bestHand = Math.max(bestHand, measure(benchCase.handWritten, contexts).perSecond);
    }
    const matchRate = contexts.filter(evaluate).length / contexts.length;
    rows.push([benchCase.name, formatRate(bestCompiled), formatRate(bestHand), `${(bestHand / bestCompiled).toFixed(2)}x`, `${Math.round(matchRate * 100)}%`]);
  }
  const header = ['expression', 'compiled', 'hand-written', 'slowdown', 'true'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(`node ${process.version}, ${CONTEXT_COUNT} varied contexts, best of ${ROUNDS} x ${MEASURE_MS} ms each`);
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('slowdown = hand-written evaluations per second / compiled evaluations per second (target: under 3x)');
}

main();
