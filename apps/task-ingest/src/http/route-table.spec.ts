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
});
