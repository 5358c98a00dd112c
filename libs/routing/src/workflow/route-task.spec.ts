import fc from 'fast-check';
import { parseWorkflowConfiguration } from './parse-workflow-configuration';
import { firstRoutingStep, nextRoutingStep, type RoutingOutcome } from './route-task';
import { DEFAULT_FILTER_INDEX, type WorkflowDefinition } from './workflow-definition';

const queue = (n: number) => 'WQ' + n.toString(16).padStart(32, '0');
const [SPANISH, SPANISH_OVERFLOW, VIP, SUPPORT, EVERYONE] = [1, 2, 3, 4, 5].map(queue);

/** Three filters, the first with three targets, and a default filter. */
const workflow: WorkflowDefinition = parseWorkflowConfiguration(JSON.stringify({
  task_routing: {
    filters: [
      {
        filter_friendly_name: 'Spanish', expression: 'language == "es"',
        targets: [{ queue: SPANISH, priority: 1, timeout: 300 }, { queue: SPANISH_OVERFLOW, priority: 10, timeout: 60 }, { timeout: 30 }],
      },
      { filter_friendly_name: 'VIP', expression: 'vip == true', targets: [{ queue: VIP, timeout: 20 }] },
      { filter_friendly_name: 'Support', expression: 'type == "support"', targets: [{ queue: SUPPORT }] },
    ],
    default_filter: { queue: EVERYONE },
  },
}));

const where = (outcome: RoutingOutcome) =>
  outcome.kind === 'routed' ? { step: [outcome.step.filterIndex, outcome.step.targetIndex], queue: outcome.target.queueSid, filter: outcome.filterName } : 'fell-out';

describe('where a task enters its workflow', () => {
  it('is the first target of the first matching filter, evaluated top to bottom', () => {
    expect(where(firstRoutingStep(workflow, { language: 'es', vip: true, type: 'support' }))).toEqual({ step: [0, 0], queue: SPANISH, filter: 'Spanish' });
  });

  it('skips filters that do not match', () => {
    expect(where(firstRoutingStep(workflow, { language: 'en', vip: true }))).toEqual({ step: [1, 0], queue: VIP, filter: 'VIP' });
    expect(where(firstRoutingStep(workflow, { type: 'support' }))).toEqual({ step: [2, 0], queue: SUPPORT, filter: 'Support' });
  });

  it('is the default filter only when no filter matches', () => {
    expect(where(firstRoutingStep(workflow, { language: 'fr' }))).toEqual({ step: [DEFAULT_FILTER_INDEX, 0], queue: EVERYONE, filter: 'default_filter' });
  });

  it('carries the target, with its priority and timeout, for the task to take', () => {
    const outcome = firstRoutingStep(workflow, { language: 'es' });
    expect(outcome.kind === 'routed' && { priority: outcome.target.priority, timeout: outcome.target.timeout }).toEqual({ priority: 1, timeout: 300 });
  });

  it('falls out when no filter matches and there is no default filter', () => {
    const withoutDefault = parseWorkflowConfiguration(JSON.stringify({ task_routing: { filters: [{ expression: 'language == "es"', targets: [{ queue: SPANISH }] }] } }));
    const outcome = firstRoutingStep(withoutDefault, { language: 'en' });
    expect(outcome.kind).toBe('fell-out');
    expect(outcome.explanation.join('\n')).toMatch(/no filter matched and there is no default filter/);
  });

  it('explains each filter it tried, for operators', () => {
    expect(firstRoutingStep(workflow, { type: 'support' }).explanation).toEqual([
      `filter 'Spanish' (#0) did not match: language == "es"`,
      `filter 'VIP' (#1) did not match: vip == true`,
      `filter 'Support' (#2) matched: type == "support"`,
      `entering queue ${SUPPORT}`,
    ]);
  });
});

describe('where a task goes when its step times out', () => {
  it('is the next target of the same filter, with its own priority and timeout', () => {
    const outcome = nextRoutingStep(workflow, { language: 'es' }, { filterIndex: 0, targetIndex: 0 });
    expect(where(outcome)).toEqual({ step: [0, 1], queue: SPANISH_OVERFLOW, filter: 'Spanish' });
    expect(outcome.kind === 'routed' && [outcome.target.priority, outcome.target.timeout]).toEqual([10, 60]);
  });

  it('keeps the inherited queue on a target that names none', () => {
    expect(where(nextRoutingStep(workflow, { language: 'es' }, { filterIndex: 0, targetIndex: 1 }))).toEqual({ step: [0, 2], queue: SPANISH_OVERFLOW, filter: 'Spanish' });
  });

  it('after the last target of a filter, is the next filter that matches', () => {
    expect(where(nextRoutingStep(workflow, { language: 'es', type: 'support' }, { filterIndex: 0, targetIndex: 2 }))).toEqual({ step: [2, 0], queue: SUPPORT, filter: 'Support' });
  });

  it('moves to the next matching filter even when its attributes changed since the task entered', () => {
    expect(where(nextRoutingStep(workflow, { vip: true }, { filterIndex: 0, targetIndex: 2 }))).toEqual({ step: [1, 0], queue: VIP, filter: 'VIP' });
  });

  it('is falling out, not the default filter, when no later filter matches', () => {
    const outcome = nextRoutingStep(workflow, { language: 'es' }, { filterIndex: 0, targetIndex: 2 });
    expect(outcome.kind).toBe('fell-out');
    expect(outcome.explanation.join('\n')).toMatch(/no later filter matched/);
  });

  it('never goes back to an earlier filter, even one that matches', () => {
    expect(nextRoutingStep(workflow, { language: 'es', vip: true }, { filterIndex: 1, targetIndex: 0 }).kind).toBe('fell-out');
  });

  it('is falling out after the default filter', () => {
    expect(nextRoutingStep(workflow, {}, { filterIndex: DEFAULT_FILTER_INDEX, targetIndex: 0 }).kind).toBe('fell-out');
  });

  it('is falling out when the filter the task was in no longer exists', () => {
    expect(nextRoutingStep(workflow, { language: 'es' }, { filterIndex: 9, targetIndex: 0 }).kind).toBe('fell-out');
  });
});

describe('routing, for any task', () => {
  const attributes = fc.record({
    language: fc.constantFrom('es', 'en', 'fr'), vip: fc.boolean(), type: fc.constantFrom('support', 'sales'),
  }, { requiredKeys: [] });

  it('enters the first filter whose expression matches, or the default filter when none does', () => {
    fc.assert(fc.property(attributes, (task) => {
      const firstMatch = workflow.filters.findIndex((filter) => filter.expression.evaluate({ task }));
      const outcome = firstRoutingStep(workflow, task);
      expect(outcome.kind === 'routed' && outcome.step).toEqual({ filterIndex: firstMatch === -1 ? DEFAULT_FILTER_INDEX : firstMatch, targetIndex: 0 });
    }));
  });

  it('moves strictly forward on every timeout and ends by falling out, never in the default filter', () => {
    fc.assert(fc.property(attributes, (task) => {
      let outcome = firstRoutingStep(workflow, task);
      if (outcome.kind === 'routed' && outcome.step.filterIndex === DEFAULT_FILTER_INDEX) return;
      const visited: number[][] = [];
      while (outcome.kind === 'routed') {
        expect(outcome.step.filterIndex).not.toBe(DEFAULT_FILTER_INDEX);
        visited.push([outcome.step.filterIndex, outcome.step.targetIndex]);
        outcome = nextRoutingStep(workflow, task, outcome.step);
      }
      const ordered = [...visited].sort(([f1, t1], [f2, t2]) => f1 - f2 || t1 - t2);
      expect(visited).toEqual(ordered);
      expect(new Set(visited.map(String)).size).toBe(visited.length);
    }));
  });
});

describe('routing with time of day and skip_if', () => {
  const Q1 = 'WQ11111111111111111111111111111111';
  const Q2 = 'WQ22222222222222222222222222222222';
  const DEFAULT = 'WQ33333333333333333333333333333333';
  const { parseWorkflowConfiguration } = jest.requireActual('./parse-workflow-configuration') as typeof import('./parse-workflow-configuration');

  it('lets filter expressions read the taskrouter.* time-of-day variables the caller computed', () => {
    const workflow = parseWorkflowConfiguration(JSON.stringify({
      task_routing: { filters: [{ filter_friendly_name: 'open', expression: 'taskrouter.currentTime >= 0800 AND taskrouter.currentTime < 1800', targets: [{ queue: Q1 }] }], default_filter: { queue: DEFAULT } },
    }));
    const open = firstRoutingStep(workflow, {}, { taskrouter: { currentTime: 930 } });
    const closed = firstRoutingStep(workflow, {}, { taskrouter: { currentTime: 2215 } });
    expect(open.kind === 'routed' && open.target.queueSid).toBe(Q1);
    expect(closed.kind === 'routed' && closed.target.queueSid).toBe(DEFAULT);
  });

  it('sends a task that skipped the last target of its filter to the default filter, unlike a timeout', () => {
    const workflow = parseWorkflowConfiguration(JSON.stringify({
      task_routing: { filters: [{ expression: '1==1', targets: [{ queue: Q1, skip_if: 'workers.available == 0' }, { queue: Q2, timeout: 5, skip_if: '1==1' }] }], default_filter: { queue: DEFAULT } },
    }));
    const last = { filterIndex: 0, targetIndex: 1 };
    const skipped = nextRoutingStep(workflow, {}, last, {}, { skipped: true });
    expect(skipped.kind === 'routed' && skipped.target.queueSid).toBe(DEFAULT);
    expect(skipped.explanation.join(' ')).toContain('skip_if');
    expect(nextRoutingStep(workflow, {}, last).kind).toBe('fell-out');
  });
});
