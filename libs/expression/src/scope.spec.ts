import { compileExpression } from './compiler';
import type { EvaluationContext, WorkerFacts } from './context';
import { resolveKey } from './scope';

const worker: WorkerFacts = {
  sid: 'WK1',
  friendly_name: 'Alice',
  activity_sid: 'WA1',
  activity_name: 'Available',
  attributes: { skills: ['support'], sid: 'attribute-sid', channel: 'phone', level: 4, task: { x: 1 } },
  channels: { voice: { assigned_tasks: 0, available_capacity_percentage: 100 }, chat: { assigned_tasks: 2 } },
};
const context: EvaluationContext = {
  task: { type: 'ticket', level: 2, worker: { y: 'task-attribute' }, preferred: ['WK1'] },
  worker,
  taskrouter: { dayOfWeek: 'Mon', currentTime: 930 },
  workers: { available: 3, WA1: 2 },
};
const inTaskScope = (source: string) => compileExpression(source, { bareKeys: 'task' }).evaluate(context);
const inWorkerScope = (source: string) => compileExpression(source, { bareKeys: 'worker' }).evaluate(context);

describe('scopes', () => {
  it('reads bare keys from the task in task scope and from worker attributes in worker scope', () => {
    expect(inTaskScope('level == 2')).toBe(true);
    expect(inWorkerScope('level == 4')).toBe(true);
    expect(inWorkerScope('skills HAS "support"')).toBe(true);
  });

  it('honours task. and worker. prefixes in every scope', () => {
    for (const run of [inTaskScope, inWorkerScope]) {
      expect(run('task.type == "ticket"')).toBe(true);
      expect(run('worker.level == 4')).toBe(true);
      expect(run('task.level < worker.level')).toBe(true);
      expect(run('worker.sid IN task.preferred')).toBe(true);
    }
  });

  it("reads the worker's own fields, not same-named attributes", () => {
    expect(inWorkerScope('worker.sid == "WK1"')).toBe(true);
    expect(inWorkerScope('sid == "WK1"')).toBe(true);
    expect(inWorkerScope('friendly_name == "Alice" AND activity_sid == "WA1" AND activity_name == "Available"')).toBe(true);
    expect(inTaskScope('worker.activity_name IN ["Available", "Idle"]')).toBe(true);
  });

  it('reads worker.channel.<name>.<field> from the channel state and a shorter channel path from the attributes', () => {
    expect(inWorkerScope('worker.channel.voice.available_capacity_percentage == 100')).toBe(true);
    expect(inWorkerScope('worker.channel.chat.assigned_tasks <= 1')).toBe(false);
    expect(inWorkerScope('channel.voice.assigned_tasks == 0')).toBe(true);
    expect(inWorkerScope('channel == "phone"')).toBe(true);
    expect(inWorkerScope('worker.channel.sms.assigned_tasks == null')).toBe(true);
  });

  it('reads taskrouter.* and workers.* from the context', () => {
    expect(inTaskScope("taskrouter.dayOfWeek = 'Mon' AND taskrouter.currentTime > 0900")).toBe(true);
    expect(inTaskScope('workers.available > 2 AND workers.WA1 < 3')).toBe(true);
    expect(inTaskScope('workers.unavailable == null')).toBe(true);
  });

  it('treats the reserved roots as prefixes even when an attribute has the same name', () => {
    // The task has an attribute `worker`; `worker.y` still names the worker (whose attributes lack y).
    expect(inTaskScope('worker.y == null')).toBe(true);
    // A root alone, or followed by an index, is an ordinary bare key.
    expect(inWorkerScope('task.x == 1')).toBe(false);
    expect(compileExpression('task != null', { bareKeys: 'worker' }).evaluate(context)).toBe(true);
  });

  it('is null, never an error, when the context lacks the document', () => {
    expect(compileExpression('worker.sid == null AND task.type == null AND taskrouter.currentTime == null', { bareKeys: 'task' }).evaluate({})).toBe(true);
  });

  it('resolves keys into scope, source and path', () => {
    expect(resolveKey(['task', 'a', 0], 'worker')).toEqual({ scope: 'task', source: 'task', sourcePath: ['a', 0], scopePath: ['a', 0] });
    expect(resolveKey(['sid'], 'worker')).toMatchObject({ scope: 'worker', source: 'workerField' });
    expect(resolveKey(['sid'], 'task')).toMatchObject({ scope: 'task', source: 'task' });
    expect(resolveKey(['worker', 'sid', 'x'], 'task')).toMatchObject({ scope: 'worker', source: 'workerAttributes', sourcePath: ['sid', 'x'] });
    expect(resolveKey(['worker', 'channel', 'chat', 'assigned_tasks'], 'task')).toMatchObject({ source: 'workerChannels', sourcePath: ['chat', 'assigned_tasks'] });
    expect(resolveKey(['workers', 'WAxx'], 'worker')).toMatchObject({ scope: 'workers', sourcePath: ['WAxx'] });
    expect(resolveKey(['Task', 'x'], 'worker')).toMatchObject({ scope: 'worker', sourcePath: ['Task', 'x'] });
  });
});
