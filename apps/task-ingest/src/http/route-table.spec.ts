import { CONTROLLERS } from '../task-ingest.module';
import { RouteTable } from './route-table';

const WS = 'WS00000000000000000000000000000001';

describe('the route table, read from the controllers', () => {
  const routes = new RouteTable(CONTROLLERS);

  it.each([
    ['/v1/Workspaces', ['GET', 'HEAD', 'POST']],
    ['/v1/Workspaces/', ['GET', 'HEAD', 'POST']],
    ['/v1/workspaces', ['GET', 'HEAD', 'POST']],
    [`/v1/Workspaces/${WS}`, ['GET', 'HEAD', 'POST']],
    [`/v1/Workspaces/${WS}/Workers/WK1`, ['DELETE', 'GET', 'HEAD', 'POST']],
    [`/v1/Workspaces/${WS}/Workers/WK1/Channels/constructor`, ['GET', 'HEAD', 'POST']],
    [`/v1/Workspaces/${WS}/Tasks/WT1/RoutingExplanation`, ['GET', 'HEAD']],
    [`/v1/Workspaces/${WS}/TaskQueues/WQ1`, ['DELETE', 'GET', 'HEAD', 'POST']],
    [`/v1/Workspaces/${WS}/Statistics`, ['GET', 'HEAD']],
    [`/v1/Workspaces/${WS}/TaskQueues/WQ1/CumulativeStatistics`, ['GET', 'HEAD']],
    [`/v1/Workspaces/${WS}/Workers/WK1/Statistics`, ['GET', 'HEAD']],
  ])('serves %s with %j', (path, methods) => {
    expect(routes.allowedMethods(path)).toEqual(methods);
  });

  it.each(['/', '/v1', '/v2/Workspaces', `/v1/Workspaces/${WS}/Nothing`, '/v1//Workspaces', `/v1/Workspaces/${WS}/Tasks/WT1/Reservations/WR1/More`])(
    'knows no route at %s',
    (path) => {
      expect(routes.allowedMethods(path)).toEqual([]);
    },
  );

  it.each([
    ['POST', `/v1/Workspaces/${WS}/Workers/CumulativeStatistics`, ['GET', 'HEAD']],
    ['DELETE', `/v1/Workspaces/${WS}/Workers/Statistics`, ['GET', 'HEAD']],
    ['POST', `/v1/Workspaces/${WS}/TaskQueues/Statistics`, ['GET', 'HEAD']],
    ['GET', `/v1/Workspaces/${WS}/TaskQueues/RealTimeStatistics`, ['POST']],
  ])('refuses %s %s, a literal path a parameter route would take, allowing %j', (method, path, allowed) => {
    expect(routes.shadowedBy(method, path)).toEqual(allowed);
  });

  it.each([
    ['GET', `/v1/Workspaces/${WS}/Workers/Statistics`],
    ['HEAD', `/v1/Workspaces/${WS}/Workers/Statistics`],
    ['POST', `/v1/Workspaces/${WS}/Workers/WK1`],
    ['POST', `/v1/Workspaces/${WS}/TaskQueues/RealTimeStatistics`],
    ['PUT', `/v1/Workspaces/${WS}/Nothing`],
  ])('leaves %s %s to the router', (method, path) => {
    expect(routes.shadowedBy(method, path)).toBeUndefined();
  });
});
