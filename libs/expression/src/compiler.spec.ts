import { compileExpression, compileOptionalExpression, compileTree } from './compiler';
import { ExpressionError } from './expression-error';
import { parseExpression } from './parser';
import { EXPRESSION_PLACES } from './places';

describe('compiler', () => {
  it('keeps the source, the tree and the reads', () => {
    const compiled = compileExpression("type == 'ticket'", { bareKeys: 'task' });
    expect(compiled.source).toBe("type == 'ticket'");
    expect(compiled.tree).toEqual(parseExpression("type == 'ticket'"));
    expect(compiled.reads).toEqual([{ scope: 'task', path: 'type' }]);
  });

  it('compiles a parsed tree, printing it for the source', () => {
    const compiled = compileTree(parseExpression("a = 'x'"), { bareKeys: 'task' });
    expect(compiled.source).toBe('a == "x"');
    expect(compiled.evaluate({ task: { a: 'x' } })).toBe(true);
  });

  it('folds constant expressions and reports them', () => {
    expect(compileExpression('1==1', { bareKeys: 'worker' }).constant).toBe(true);
    expect(compileExpression('1 == 2', { bareKeys: 'worker' }).constant).toBe(false);
    expect(compileExpression('a == 1 OR 1 == 1', { bareKeys: 'task' }).constant).toBe(true);
    expect(compileExpression('a == 1 AND 1 == 2', { bareKeys: 'task' }).constant).toBe(false);
    expect(compileExpression('(1 == 1 AND 2 == 2) OR 1 == 2', { bareKeys: 'task' }).constant).toBe(true);
    expect(compileExpression('a == 1 AND 1 == 1', { bareKeys: 'task' }).constant).toBeUndefined();
  });

  it('still evaluates the live part when a constant drops out', () => {
    const compiled = compileExpression('1 == 1 AND a == 1', { bareKeys: 'task' });
    expect(compiled.evaluate({ task: { a: 1 } })).toBe(true);
    expect(compiled.evaluate({ task: { a: 2 } })).toBe(false);
  });

  it('short-circuits in order and handles long chains', () => {
    const ands = compileExpression('a == 1 AND b == 2 AND c == 3 AND d == 4', { bareKeys: 'task' });
    expect(ands.evaluate({ task: { a: 1, b: 2, c: 3, d: 4 } })).toBe(true);
    expect(ands.evaluate({ task: { a: 1, b: 2, c: 3, d: 5 } })).toBe(false);
    const ors = compileExpression('a == 1 OR b == 2 OR c == 3 OR d == 4', { bareKeys: 'task' });
    expect(ors.evaluate({ task: { d: 4 } })).toBe(true);
    expect(ors.evaluate({ task: {} })).toBe(false);
  });

  it('evaluates keys inside arrays', () => {
    const compiled = compileExpression('task.language IN [worker.first, worker.second]', { bareKeys: 'worker' });
    expect(compiled.evaluate({ task: { language: 'fr' }, worker: { attributes: { first: 'en', second: 'fr' } } })).toBe(true);
    expect(compiled.evaluate({ task: { language: 'de' }, worker: { attributes: { first: 'en', second: 'fr' } } })).toBe(false);
  });

  it('evaluates literal-on-the-left comparisons by mirroring them', () => {
    const run = (source: string, task: Record<string, unknown>) => compileExpression(source, { bareKeys: 'task' }).evaluate({ task });
    expect(run('5 < level', { level: 6 })).toBe(true);
    expect(run('5 >= level', { level: 6 })).toBe(false);
    expect(run('"HR" IN skills', { skills: ['HR'] })).toBe(true);
    expect(run('"HR" IN skills', { skills: 'HR' })).toBe(false);
    expect(run('null == missing', {})).toBe(true);
  });

  it('never throws, whatever the context holds', () => {
    const compiled = compileExpression('a.b[0] > 1 AND worker.sid == "x" OR worker.channel.c.d == 1', { bareKeys: 'task' });
    const hostile = { get a(): unknown { throw new Error('boom'); } };
    expect(compiled.evaluate({ task: hostile })).toBe(false);
    expect(compiled.evaluate(null as never)).toBe(false);
    expect(compiled.evaluate(undefined as never)).toBe(false);
    expect(compiled.evaluate(42 as never)).toBe(false);
    expect(compiled.evaluate({ task: 'x' as never, worker: 7 as never })).toBe(false);
  });

  it('refuses an invalid or empty source with an ExpressionError', () => {
    expect(() => compileExpression('a ==', { bareKeys: 'task' })).toThrow(ExpressionError);
    expect(() => compileExpression('', { bareKeys: 'task' })).toThrow('expected an expression at column 1');
  });

  describe('optional expressions', () => {
    it.each([undefined, null, '', '   '])('treats %j as absent, giving whenAbsent', (source) => {
      const yes = compileOptionalExpression(source, { bareKeys: 'worker', whenAbsent: true });
      const no = compileOptionalExpression(source, { bareKeys: 'worker', whenAbsent: false });
      expect([yes.evaluate({}), yes.constant, yes.reads]).toEqual([true, true, []]);
      expect([no.evaluate({}), no.constant]).toEqual([false, false]);
    });

    it('compiles a present source and refuses an invalid one', () => {
      expect(compileOptionalExpression('workers.available == 0', { ...EXPRESSION_PLACES.skipIf }).evaluate({ workers: { available: 0 } })).toBe(true);
      expect(() => compileOptionalExpression('a ==', { bareKeys: 'task', whenAbsent: true })).toThrow(ExpressionError);
    });
  });

  it('names the bare-key scope of every place TaskRouter uses expressions', () => {
    expect(EXPRESSION_PLACES.queueTargetWorkers.bareKeys).toBe('worker');
    expect(EXPRESSION_PLACES.targetWorkersExpression.bareKeys).toBe('worker');
    expect(EXPRESSION_PLACES.workflowTarget.bareKeys).toBe('worker');
    expect(EXPRESSION_PLACES.workflowFilter.bareKeys).toBe('task');
    expect(EXPRESSION_PLACES.evaluateTaskAttributes.bareKeys).toBe('task');
    expect(EXPRESSION_PLACES.skipIf).toEqual({ bareKeys: 'task', whenAbsent: false });
  });
});
