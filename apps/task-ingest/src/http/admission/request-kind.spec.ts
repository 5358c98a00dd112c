import { requestKind } from './request-kind';

describe('which requests create work', () => {
  it.each([
    '/v1/Workspaces/WS0123/Tasks', '/v1/Workspaces/WS0123/Tasks/', '/v1/workspaces/WS0123/tasks',
  ])('POST %s creates a task', (path) => {
    expect(requestKind('POST', path)).toBe('creates-work');
  });

  it.each<[string, string]>([
    ['GET', '/v1/Workspaces/WS0123/Tasks'],
    ['POST', '/v1/Workspaces/WS0123/Tasks/WT0123'], // update, complete, cancel
    ['POST', '/v1/Workspaces/WS0123/Tasks/WT0123/Reservations/WR0123'], // accept, reject
    ['POST', '/v1/Workspaces/WS0123/Workers/WK0123'], // activity change
    ['POST', '/v1/Workspaces/WS0123/Workers/WK0123/Reservations/WR0123'],
    ['POST', '/v1/Workspaces/WS0123/Workers'],
    ['POST', '/v1/Workspaces'],
    ['POST', '/v1/Workspaces/WS0123/TaskQueues'],
    ['DELETE', '/v1/Workspaces/WS0123/Tasks/WT0123'],
    ['POST', '/v1/Workspaces//Tasks'],
    ['POST', '/v2/Workspaces/WS0123/Tasks'],
  ])('%s %s does not', (method, path) => {
    expect(requestKind(method, path)).toBe('other');
  });
});
