import { compileExpression } from './compiler';
import { collectReads } from './reads';
import { parseExpression } from './parser';

describe('reads', () => {
  it('lists every key once, in order, with its scope and path', () => {
    const source =
      'task.required_language IN worker.languages AND worker.level >= task.level AND worker.channel.chat.assigned_tasks < 2 ' +
      'AND worker.sid != null AND taskrouter.dayOfWeek IN ["Mon"] AND workers.available > 0 AND task.level > 1 AND object.array[2] == "c"';
    expect(compileExpression(source, { bareKeys: 'worker' }).reads).toEqual([
      { scope: 'task', path: 'required_language' },
      { scope: 'worker', path: 'languages' },
      { scope: 'worker', path: 'level' },
      { scope: 'task', path: 'level' },
      { scope: 'worker', path: 'channel.chat.assigned_tasks' },
      { scope: 'worker', path: 'sid' },
      { scope: 'taskrouter', path: 'dayOfWeek' },
      { scope: 'workers', path: 'available' },
      { scope: 'worker', path: 'object.array[2]' },
    ]);
  });

  it('resolves bare keys by scope and finds keys inside arrays', () => {
    const tree = parseExpression('skills HAS "x" AND "y" IN [a, [b]]');
    expect(collectReads(tree, 'task').map((read) => `${read.scope}:${read.path}`)).toEqual(['task:skills', 'task:a', 'task:b']);
    expect(collectReads(tree, 'worker').map((read) => read.scope)).toEqual(['worker', 'worker', 'worker']);
  });

  it('is empty for an expression without keys', () => {
    expect(compileExpression('1==1', { bareKeys: 'worker' }).reads).toEqual([]);
  });
});
