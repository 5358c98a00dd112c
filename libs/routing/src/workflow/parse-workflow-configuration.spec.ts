import fc from 'fast-check';
import { MAX_WORKFLOW_CONFIGURATION_BYTES, parseWorkflowConfiguration } from './parse-workflow-configuration';
import { WorkflowConfigurationError } from './workflow-configuration-error';

const queue = (n: number) => 'WQ' + n.toString(16).padStart(32, '0');
const Q1 = queue(1);
const Q2 = queue(2);
const Q3 = queue(3);
const document = (taskRouting: unknown) => JSON.stringify({ task_routing: taskRouting });

/** The error a document is refused with; fails the test if it is accepted. */
function refusal(source: string): WorkflowConfigurationError {
  try {
    parseWorkflowConfiguration(source);
  } catch (error) {
    if (error instanceof WorkflowConfigurationError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parsing a workflow configuration', () => {
  it('accepts the simplest document: only a default_filter', () => {
    const definition = parseWorkflowConfiguration(document({ default_filter: { queue: Q1 } }));
    expect(definition.filters).toEqual([]);
    expect(definition.defaultFilter).toMatchObject({ queueSid: Q1 });
    expect(definition.queueSids).toEqual([Q1]);
  });

  it('reads filters with their names, expressions and targets', () => {
    const definition = parseWorkflowConfiguration(document({
      filters: [{ filter_friendly_name: 'Spanish', expression: 'language == "es"', targets: [{ queue: Q1, priority: 5, timeout: 30, expression: 'worker.level > 2', order_by: 'worker.level DESC', skip_if: 'workers.available == 0' }] }],
    }));
    const [filter] = definition.filters;
    expect(filter.friendlyName).toBe('Spanish');
    expect(filter.expression.source).toBe('language == "es"');
    expect(filter.targets[0]).toMatchObject({ queueSid: Q1, priority: 5, timeout: 30, orderBy: 'worker.level DESC' });
    expect(filter.targets[0].expression?.source).toBe('worker.level > 2');
    expect(filter.targets[0].skipIf?.source).toBe('workers.available == 0');
  });

  it('accepts the document without the task_routing wrapper, as the Known Agent Routing page shows it', () => {
    const definition = parseWorkflowConfiguration(JSON.stringify({ filters: [{ expression: '1==1', targets: [{ queue: Q1, known_worker_sid: 'task.agent_sid' }] }] }));
    expect(definition.filters[0].targets[0]).toMatchObject({ queueSid: Q1, knownWorkerSid: 'task.agent_sid' });
  });

  it('accepts numbers given as numeric strings, as the official examples do', () => {
    const definition = parseWorkflowConfiguration(document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, priority: '10', timeout: '300' }] }] }));
    expect(definition.filters[0].targets[0]).toMatchObject({ priority: 10, timeout: 300 });
  });

  it('lets later targets inherit the queue of the target before them, through several targets', () => {
    const definition = parseWorkflowConfiguration(document({
      filters: [{ expression: '1==1', targets: [{ queue: Q1, timeout: 10 }, { queue: Q2, timeout: 10 }, { priority: 3, timeout: 10 }, {}] }],
    }));
    expect(definition.filters[0].targets.map((target) => target.queueSid)).toEqual([Q1, Q2, Q2, Q2]);
  });

  it('does not let later targets inherit expressions, timeouts or priorities', () => {
    const definition = parseWorkflowConfiguration(document({
      filters: [{ expression: '1==1', targets: [{ queue: Q1, priority: 4, timeout: 10, expression: 'worker.level > 2', order_by: 'worker.level ASC' }, {}] }],
    }));
    const second = definition.filters[0].targets[1];
    expect(second).toEqual({ queueSid: Q1 });
    expect([second.expression, second.timeout, second.priority, second.orderBy]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('treats a blank target expression as no expression', () => {
    expect(parseWorkflowConfiguration(document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, expression: '  ' }] }] })).filters[0].targets[0].expression).toBeUndefined();
  });

  it('reads filter expressions over task attributes, and target expressions over worker attributes', () => {
    const definition = parseWorkflowConfiguration(document({ filters: [{ expression: 'type == "sales"', targets: [{ queue: Q1, expression: 'level > 2' }] }] }));
    expect(definition.filters[0].expression.evaluate({ task: { type: 'sales' } })).toBe(true);
    expect(definition.filters[0].targets[0].expression?.evaluate({ worker: { attributes: { level: 3 } }, task: {} })).toBe(true);
  });

  it('lists every queue it names once, for the existence check', () => {
    const definition = parseWorkflowConfiguration(document({
      filters: [{ expression: '1==1', targets: [{ queue: Q1 }, { queue: Q2 }] }, { expression: '1==1', targets: [{ queue: Q1 }] }],
      default_filter: { queue: Q3 },
    }));
    expect([...definition.queueSids].sort()).toEqual([Q1, Q2, Q3]);
  });

  it('accepts a document of exactly the size limit and refuses one a byte larger', () => {
    const base = document({ default_filter: { queue: Q1 } });
    const sized = (bytes: number) => base.slice(0, -1) + ' '.repeat(bytes - base.length) + '}';
    expect(MAX_WORKFLOW_CONFIGURATION_BYTES).toBe(1_038_576);
    expect(parseWorkflowConfiguration(sized(MAX_WORKFLOW_CONFIGURATION_BYTES)).defaultFilter?.queueSid).toBe(Q1);
    expect(refusal(sized(MAX_WORKFLOW_CONFIGURATION_BYTES + 1)).path).toBe('configuration');
  });

  it('counts the size limit in bytes, not characters', () => {
    const base = document({ default_filter: { queue: Q1 } });
    const characters = Math.floor(MAX_WORKFLOW_CONFIGURATION_BYTES / 2);
    const multiByte = base.slice(0, -1) + `, "note": "${'é'.repeat(characters)}"}`;
    expect(multiByte.length).toBeLessThan(MAX_WORKFLOW_CONFIGURATION_BYTES);
    expect(refusal(multiByte).path).toBe('configuration');
  });
});

describe('refusing a workflow configuration, naming the JSON path at fault', () => {
  it.each<[string, string, string]>([
    ['not JSON', '{ "task_routing": ', 'configuration'],
    ['not an object', '[]', 'configuration'],
    ['a task_routing that is not an object', document('filters'), 'task_routing'],
    ['no filter and no default_filter', document({ filters: [] }), 'task_routing'],
    ['filters that are not an array', document({ filters: {} }), 'task_routing.filters'],
    ['a filter that is not an object', document({ filters: ['x'] }), 'task_routing.filters[0]'],
    ['a filter without an expression', document({ filters: [{ targets: [{ queue: Q1 }] }] }), 'task_routing.filters[0].expression'],
    ['a filter expression that does not parse', document({ filters: [{ expression: 'type ==', targets: [{ queue: Q1 }] }] }), 'task_routing.filters[0].expression'],
    ['a filter without targets', document({ filters: [{ expression: '1==1' }] }), 'task_routing.filters[0].targets'],
    ['a filter with no target', document({ filters: [{ expression: '1==1', targets: [] }] }), 'task_routing.filters[0].targets'],
    ['a friendly name that is not a string', document({ filters: [{ filter_friendly_name: 7, expression: '1==1', targets: [{ queue: Q1 }] }] }), 'task_routing.filters[0].filter_friendly_name'],
    ['a first target without a queue', document({ filters: [{ expression: '1==1', targets: [{ priority: 1 }] }] }), 'task_routing.filters[0].targets[0].queue'],
    ['a queue that is not a TaskQueue SID', document({ filters: [{ expression: '1==1', targets: [{ queue: 'sales' }] }] }), 'task_routing.filters[0].targets[0].queue'],
    ['a key targets do not have', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, queue_sid: Q1 }] }] }), 'task_routing.filters[0].targets[0].queue_sid'],
    ['a negative priority', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, priority: -1 }] }] }), 'task_routing.filters[0].targets[0].priority'],
    ['a priority above 2^31-1', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, priority: 2_147_483_648 }] }] }), 'task_routing.filters[0].targets[0].priority'],
    ['a timeout of 0', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, timeout: 0 }] }] }), 'task_routing.filters[0].targets[0].timeout'],
    ['a fractional timeout', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, timeout: 1.5 }] }] }), 'task_routing.filters[0].targets[0].timeout'],
    ['a timeout that is not a number', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, timeout: 'soon' }] }] }), 'task_routing.filters[0].targets[0].timeout'],
    ['a target expression that does not parse', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1 }, { expression: 'skills HAS' }] }] }), 'task_routing.filters[0].targets[1].expression'],
    ['a skip_if that does not parse', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, skip_if: 'workers.available ==' }] }] }), 'task_routing.filters[0].targets[0].skip_if'],
    ['an order_by that is not a string', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, order_by: ['worker.level'] }] }] }), 'task_routing.filters[0].targets[0].order_by'],
    ['both known-worker keys on one target', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1, known_worker_sid: 'task.a', known_worker_friendly_name: 'task.b' }] }] }), 'task_routing.filters[0].targets[0]'],
    ['a timeout on the default_filter', document({ default_filter: { queue: Q1, timeout: 10 } }), 'task_routing.default_filter.timeout'],
    ['a default_filter without a queue', document({ default_filter: {} }), 'task_routing.default_filter.queue'],
    ['an error in the second filter', document({ filters: [{ expression: '1==1', targets: [{ queue: Q1 }] }, { expression: '1==1', targets: [{ queue: Q1, priority: 'high' }] }] }), 'task_routing.filters[1].targets[0].priority'],
  ])('refuses %s', (_what, source, path) => {
    const error = refusal(source);
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  it('passes on the column of an expression error', () => {
    expect(refusal(document({ filters: [{ expression: 'type ==', targets: [{ queue: Q1 }] }] })).reason).toMatch(/column 8/);
  });

  it('names paths without the wrapper when the document has none', () => {
    expect(refusal(JSON.stringify({ filters: [{ expression: '1==1', targets: [{ queue: 'x' }] }] })).path).toBe('filters[0].targets[0].queue');
  });
});

describe('parsing any document', () => {
  const target = fc.record({
    queue: fc.oneof(fc.constant(Q1), fc.constant('WQ123'), fc.constant(null), fc.integer()),
    priority: fc.oneof(fc.integer({ min: -2, max: 2_147_483_650 }), fc.constantFrom('10', 'high', '', ' 7 ')),
    timeout: fc.oneof(fc.integer({ min: -1, max: 1_300_000 }), fc.constantFrom('300', '1.5')),
    expression: fc.constantFrom('worker.level > 2', 'level >', '', 'skills HAS "x"'),
    order_by: fc.constantFrom('worker.level DESC', 3),
    skip_if: fc.constantFrom('workers.available == 0', '==', null),
    known_worker_sid: fc.constantFrom('task.agent', 5),
    unknown_key: fc.constant(true),
  }, { requiredKeys: [] });
  const filter = fc.record({ filter_friendly_name: fc.oneof(fc.string(), fc.integer()), expression: fc.constantFrom('1==1', 'type == "a"', 'type ==', 7), targets: fc.array(target, { maxLength: 3 }) }, { requiredKeys: [] });
  const configuration = fc.oneof(
    fc.json(),
    fc.record({ task_routing: fc.record({ filters: fc.array(filter, { maxLength: 3 }), default_filter: fc.oneof(target, fc.constant(null)) }, { requiredKeys: [] }) }).map((d) => JSON.stringify(d)),
    fc.string(),
  );

  it('either yields a definition whose every queue is a TaskQueue SID, or is refused with a WorkflowConfigurationError', () => {
    fc.assert(fc.property(configuration, (source) => {
      let definition;
      try {
        definition = parseWorkflowConfiguration(source);
      } catch (error) {
        expect(error).toBeInstanceOf(WorkflowConfigurationError);
        return;
      }
      expect(definition.filters.length > 0 || definition.defaultFilter !== undefined).toBe(true);
      for (const sid of definition.queueSids) expect(sid).toMatch(/^WQ[0-9a-fA-F]{32}$/);
      for (const filter of definition.filters) expect(filter.targets.length).toBeGreaterThan(0);
    }), { numRuns: 500 });
  });
});
