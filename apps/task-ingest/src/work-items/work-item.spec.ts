import { TaskRouterError } from '@taskrouter/contract';
import { workItemToTask } from './work-item';

const origin = { topic: 'tr.work-items', partition: 2, offset: '41' };
const account = 'AC00000000000000000000000000000001';
const workspace = 'WS00000000000000000000000000000002';

describe('a work item from the work-items topic', () => {
  it('becomes the same task fields as POST /Tasks', () => {
    const task = workItemToTask(JSON.stringify({ accountSid: account, workspaceSid: workspace, attributes: { type: 'support' }, priority: 4, timeout: 600, taskChannel: 'chat' }), origin);
    expect(task).toMatchObject({ accountSid: account, workspaceSid: workspace, attributes: '{"type":"support"}', priority: 4, timeout: 600, taskChannel: 'chat' });
    expect(task.taskSid).toMatch(/^WT[0-9a-f]{32}$/);
  });

  it('gets the same task SID when published twice with the same id, so one task is created', () => {
    const item = JSON.stringify({ accountSid: account, workspaceSid: workspace, id: 'order-17' });
    expect(workItemToTask(item, origin).taskSid).toBe(workItemToTask(item, { ...origin, offset: '99' }).taskSid);
    expect(workItemToTask(JSON.stringify({ accountSid: account, workspaceSid: workspace, id: 'order-18' }), origin).taskSid).not.toBe(workItemToTask(item, origin).taskSid);
  });

  it('without an id, is one task per Kafka record, so a redelivered record creates nothing new', () => {
    const item = JSON.stringify({ accountSid: account, workspaceSid: workspace });
    expect(workItemToTask(item, origin).taskSid).toBe(workItemToTask(item, origin).taskSid);
    expect(workItemToTask(item, { ...origin, offset: '42' }).taskSid).not.toBe(workItemToTask(item, origin).taskSid);
  });

  it.each([
    [null, 'empty'],
    ['{"accountSid": ', 'not valid JSON'],
    ['[1]', 'JSON object'],
    [JSON.stringify({ workspaceSid: workspace }), 'accountSid'],
    [JSON.stringify({ accountSid: account, workspaceSid: 'WS1' }), 'workspaceSid'],
    [JSON.stringify({ accountSid: account, workspaceSid: workspace, priority: -1 }), 'priority'],
    [JSON.stringify({ accountSid: account, workspaceSid: workspace, timeout: 1_209_601 }), 'timeout'],
    [JSON.stringify({ accountSid: account, workspaceSid: workspace, id: '' }), 'id'],
    [`{"accountSid":"${account}","workspaceSid":"${workspace}","attributes":{"name":"\\u0000"}}`, 'contains a NUL'],
    [`{"accountSid":"${account}","workspaceSid":"${workspace}","taskChannel":"\\ud800"}`, 'lone UTF-16 surrogate'],
    [JSON.stringify({ accountSid: account, workspaceSid: workspace, attributes: '{"name":"\\u0000"}' }), 'Attributes has a string that is not valid text'],
    [JSON.stringify({ accountSid: account, workspaceSid: workspace, attributes: { text: 'x'.repeat(4_100) } }), 'Attributes is 4111 characters long'],
  ])('refuses %s with a 400 that names the problem (%s)', (value, named) => {
    let refusal: unknown;
    try {
      workItemToTask(value, origin);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TaskRouterError);
    expect((refusal as TaskRouterError).status).toBe(400);
    expect((refusal as TaskRouterError).message).toContain(named);
  });
});
