import { TaskRouterError } from '../errors/taskrouter-error';
import { checkWorkflowConfigurationLimits, MAX_EXPRESSION_LENGTH, MAX_FILTER_NAME_LENGTH } from './workflow-configuration-limits';

const QUEUE = 'WQ00000000000000000000000000000001';

function message(document: unknown): string {
  try {
    checkWorkflowConfigurationLimits(document);
  } catch (error) {
    if (error instanceof TaskRouterError && error.status === 400) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('bounds inside a workflow configuration', () => {
  const filter = (fields: object) => ({ task_routing: { filters: [{ expression: '1==1', targets: [{ queue: QUEUE }], ...fields }] } });

  it('takes filter names and expressions up to their bounds', () => {
    const longest = filter({ filter_friendly_name: 'n'.repeat(MAX_FILTER_NAME_LENGTH), expression: `${'x'.repeat(MAX_EXPRESSION_LENGTH - 4)}==1` });
    expect(() => checkWorkflowConfigurationLimits(longest)).not.toThrow();
  });

  it.each([
    [filter({ filter_friendly_name: 'n'.repeat(MAX_FILTER_NAME_LENGTH + 1) }), 'task_routing.filters[0].filter_friendly_name is 65 characters long'],
    [filter({ friendly_name: 'n'.repeat(MAX_FILTER_NAME_LENGTH + 1) }), 'task_routing.filters[0].friendly_name is 65'],
    [filter({ expression: 'x'.repeat(MAX_EXPRESSION_LENGTH + 1) }), 'task_routing.filters[0].expression is 4097'],
    [filter({ targets: [{ queue: QUEUE }, { skip_if: 'x'.repeat(MAX_EXPRESSION_LENGTH + 1) }] }), 'task_routing.filters[0].targets[1].skip_if is 4097'],
    [{ filters: [], default_filter: { queue: QUEUE, expression: 'x'.repeat(MAX_EXPRESSION_LENGTH + 1) } }, 'default_filter.expression is 4097'],
  ])('refuses an overlong string, naming its JSON path', (document, expected) => {
    expect(message(document)).toContain(`Configuration is invalid: ${expected}`);
  });

  it('leaves documents of another shape to the routing parser', () => {
    for (const document of [null, [], 'text', { task_routing: 3 }, { task_routing: { filters: 'none' } }, { filters: [1, { targets: 'x' }] }]) {
      expect(() => checkWorkflowConfigurationLimits(document)).not.toThrow();
    }
  });
});
