import { event } from '../shared/domain-event';
import type { TaskEvent } from '../task/task-events';
import { reasonWords, ruleWords } from './choice-words';
import { explainRouting } from './explain-routing';
import { PASSED_OVER_REASONS, CHOICE_RULES, type ReservationChoice } from './reservation-choice';

const ws = 'WS1';
const task = 'WT1';
const at = (s: number) => new Date(Date.UTC(2024, 2, 1, 9, 0, s)).toISOString();
const created = event('TaskCreated', { workspaceSid: ws, taskSid: task, workflowSid: 'WW1', attributes: {}, priority: null, taskChannelSid: 'TC1', taskChannelUniqueName: 'default', timeout: 3600, at: at(0) });
const routed = (targetIndex: number, queueSid: string, explanation: string[], target: object, targetTimeout: number | null, s: number): TaskEvent =>
  event('TaskRouted', {
    workspaceSid: ws, taskSid: task, workflowSid: 'WW1', step: { filterIndex: 0, targetIndex }, filterName: 'support', queueSid, previousQueueSid: null,
    priority: 0, targetTimeout, explanation, triggerVersion: 1, target: { queue: queueSid, ...target }, at: at(s),
  });
const reserved = (reservationSid: string, workerSid: string, workerName: string, s: number, choice?: ReservationChoice): TaskEvent =>
  event('TaskReserved', { workspaceSid: ws, taskSid: task, reservationSid, workerSid, workerName, queueSid: 'WQ2', reservationTimeout: 120, ...(choice ? { choice } : {}), at: at(s) });

describe('explainRouting', () => {
  const choice: ReservationChoice = {
    rule: 'longest_idle', notListed: 0,
    considered: [
      { workerSid: 'WK-maria', outcome: 'chosen', reason: 'longest_idle' },
      { workerSid: 'WK-ana', outcome: 'passed_over', reason: 'worker_expression_false' },
      { workerSid: 'WK-joe', outcome: 'passed_over', reason: 'unavailable' },
    ],
  };
  const log: TaskEvent[] = [
    created,
    routed(0, 'WQ1', ['filter support matched: 1==1', 'entering queue WQ1'], { skipIf: 'workers.available == 0' }, null, 1),
    event('TaskTargetTimedOut', { workspaceSid: ws, taskSid: task, step: { filterIndex: 0, targetIndex: 0 }, reason: 'skip_if' as const, at: at(1) }),
    routed(1, 'WQ2', ['target 0 of filter support was skipped (skip_if): moving to target 1', 'entering queue WQ2'], { expression: 'worker.level > 1' }, 30, 2),
    reserved('WR1', 'WK-maria', 'Maria', 3, choice),
    event('ReservationRejected', { workspaceSid: ws, taskSid: task, reservationSid: 'WR1', workerSid: 'WK-maria', at: at(4) }),
    reserved('WR2', 'WK-ana2', 'Ana 2', 5, {
      rule: 'longest_idle', notListed: 2,
      considered: [{ workerSid: 'WK-ana2', outcome: 'chosen', reason: 'longest_idle' }, { workerSid: 'WK-maria', outcome: 'passed_over', reason: 'rejected_before' }],
    }),
    event('ReservationAccepted', { workspaceSid: ws, taskSid: task, reservationSid: 'WR2', workerSid: 'WK-ana2', at: at(6) }),
    event('TaskCompleted', { workspaceSid: ws, taskSid: task, reservationSid: 'WR2', workerSid: 'WK-ana2', reason: 'done', at: at(7) }),
  ];
  const names: Record<string, string> = { 'WK-ana': 'Ana', 'WK-joe': 'Joe', 'WK-maria': 'Maria (renamed)' };
  const explanation = explainRouting(task, log, (sid) => names[sid] ?? null)!;

  it('lists every step with the target skipped and why, as data', () => {
    expect(explanation.steps.map((s) => ({ target: s.target_index, queue: s.queue_sid, left: s.left?.reason ?? null }))).toEqual([
      { target: 0, queue: 'WQ1', left: 'skip_if' },
      { target: 1, queue: 'WQ2', left: null },
    ]);
    expect(explanation.steps[1].target).toEqual({ queue: 'WQ2', expression: 'worker.level > 1', timeout: 30 });
    expect(explanation.ended).toEqual({ status: 'completed', cause: null, reason: 'done', at: at(7) });
    // What the endpoint answered before steps were listed stays: the latest routing decision.
    expect(explanation).toMatchObject({ task_sid: task, step: { filterIndex: 0, targetIndex: 1 }, filterName: 'support' });
  });

  it('names the chosen worker, the rule, and why each other worker was passed over, with the names at decision time first', () => {
    const [first, second] = explanation.steps[1].reservations;
    expect(first).toMatchObject({ reservation_sid: 'WR1', worker_sid: 'WK-maria', worker_name: 'Maria', status: 'rejected', rule: 'longest_idle', not_listed: 0 });
    expect(first.considered.map(({ worker_sid, worker_name, outcome, reason }) => ({ worker_sid, worker_name, outcome, reason }))).toEqual([
      { worker_sid: 'WK-maria', worker_name: 'Maria', outcome: 'chosen', reason: 'longest_idle' },
      { worker_sid: 'WK-ana', worker_name: 'Ana', outcome: 'passed_over', reason: 'worker_expression_false' },
      { worker_sid: 'WK-joe', worker_name: 'Joe', outcome: 'passed_over', reason: 'unavailable' },
    ]);
    expect(second).toMatchObject({ worker_sid: 'WK-ana2', status: 'completed', not_listed: 2 });
    expect(second.considered[1]).toMatchObject({ worker_sid: 'WK-maria', reason: 'rejected_before', words: 'Maria (WK-maria) was passed over: rejected this task before' });
  });

  it('says it all in words, step by step', () => {
    expect(explanation.words).toEqual([
      "step 1: filter 'support' (#0), target 0, queue WQ1",
      '  filter support matched: 1==1',
      '  entering queue WQ1',
      '  the target was skipped: its skip_if (workers.available == 0) held and nobody could be reserved at once',
      "step 2: filter 'support' (#0), target 1, queue WQ2",
      '  target 0 of filter support was skipped (skip_if): moving to target 1',
      '  entering queue WQ2',
      '  reserved Maria (WK-maria) as the qualified worker idle the longest, out of 3 worker(s) considered:',
      '    Maria (WK-maria) was chosen: the qualified worker idle the longest',
      '    Ana (WK-ana) was passed over: the target’s worker expression is false for it',
      '    Joe (WK-joe) was passed over: unavailable (its activity is not an available one)',
      '  the reservation was rejected',
      '  reserved Ana 2 (WK-ana2) as the qualified worker idle the longest, out of 4 worker(s) considered:',
      '    Ana 2 (WK-ana2) was chosen: the qualified worker idle the longest',
      '    Maria (WK-maria) was passed over: rejected this task before',
      '    and 2 more not listed',
      '  the reservation was accepted; the task was completed',
      'the task was completed',
    ]);
  });

  it('explains a timed-out target, a reservation recorded before choices were, and a canceled task', () => {
    const old = explainRouting(task, [
      created,
      routed(0, 'WQ1', ['entering queue WQ1 for up to 5s'], {}, 5, 1),
      reserved('WR1', 'WK1', 'Old', 2),
      event('ReservationTimedOut', { workspaceSid: ws, taskSid: task, reservationSid: 'WR1', workerSid: 'WK1', at: at(3) }),
      event('TaskTargetTimedOut', { workspaceSid: ws, taskSid: task, step: { filterIndex: 0, targetIndex: 0 }, at: at(6) }),
      event('TaskCanceled', { workspaceSid: ws, taskSid: task, reason: 'no more targets', reservationSid: null, workerSid: null, cause: 'workflow-timeout' as const, at: at(6) }),
    ])!;
    expect(old.steps[0].left).toEqual({ reason: 'timeout', at: at(6) });
    expect(old.steps[0].reservations[0]).toMatchObject({ rule: null, considered: [], status: 'timeout', words: ['reserved Old (WK1)', 'the reservation timed out'] });
    expect(old.words.slice(-2)).toEqual(['  the target timed out after 5s without an accepted reservation', 'the task was canceled (workflow-timeout): no more targets']);
  });

  it('has nothing to explain for a task never routed, and words for every rule and reason', () => {
    expect(explainRouting(task, [created])).toBeNull();
    for (const reason of PASSED_OVER_REASONS) expect(reasonWords(reason)).not.toBe(reason);
    for (const rule of CHOICE_RULES) expect(ruleWords({ rule })).toMatch(/\w/);
    expect(ruleWords({ rule: 'order_by', orderBy: 'worker.level DESC' })).toBe('first by the target’s order_by (worker.level DESC), then longest idle');
  });
});
