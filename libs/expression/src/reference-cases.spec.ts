// Every conformance case derived from Twilio's documentation must pass. The cases are kept in
// the repository (conformance/expression-cases.json, see its README); a missing file fails the suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileExpression, ExpressionError, type BareKeyScope, type EvaluationContext } from './index';
import { workerFactsFromFlatDocument } from './worker-facts';

interface ReferenceCase {
  id: string;
  expr: string;
  task: Record<string, unknown> | null;
  worker: Record<string, unknown> | null;
  expected: boolean | 'error';
  kind: 'filter' | 'queue_target_workers' | 'target_worker' | 'skip_if' | 'evaluate_task_attributes';
  context?: { taskrouter?: Record<string, unknown>; workers?: Record<string, unknown> };
  note?: string;
}

const CASES_FILE = path.join(__dirname, 'conformance', 'expression-cases.json');

// What bare keys name in each place (docs/expressions.md, "Scopes").
const BARE_KEYS_BY_KIND: Record<ReferenceCase['kind'], BareKeyScope> = {
  filter: 'task',
  evaluate_task_attributes: 'task',
  skip_if: 'task',
  queue_target_workers: 'worker',
  target_worker: 'worker',
};

function loadCases(): ReferenceCase[] {
  if (!fs.existsSync(CASES_FILE)) throw new Error(`conformance cases not found at ${CASES_FILE}`);
  const cases = JSON.parse(fs.readFileSync(CASES_FILE, 'utf8')) as ReferenceCase[];
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`${CASES_FILE} holds no cases`);
  return cases;
}

function contextOf(testCase: ReferenceCase): EvaluationContext {
  return {
    task: testCase.task ?? undefined,
    worker: testCase.worker ? workerFactsFromFlatDocument(testCase.worker) : undefined,
    taskrouter: testCase.context?.taskrouter,
    workers: testCase.context?.workers,
  };
}

const cases = loadCases();

describe('the documented conformance cases (expression-cases.json)', () => {
  it('knows every kind of place the cases use', () => {
    for (const testCase of cases) expect(Object.keys(BARE_KEYS_BY_KIND)).toContain(testCase.kind);
  });

  it.each(cases.map((testCase) => [`${testCase.id} [${testCase.kind}] ${testCase.expr}`, testCase] as const))('%s', (_name, testCase) => {
    const options = { bareKeys: BARE_KEYS_BY_KIND[testCase.kind] };
    if (testCase.expected === 'error') {
      expect(() => compileExpression(testCase.expr, options)).toThrow(ExpressionError);
      return;
    }
    expect(compileExpression(testCase.expr, options).evaluate(contextOf(testCase))).toBe(testCase.expected);
  });
});
