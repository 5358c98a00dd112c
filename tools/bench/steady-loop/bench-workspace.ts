import type { Pool } from 'pg';
import { eventually, type TaskRouterTestClient } from '@taskrouter/testing';

/** One scenario's workspace: queues by skill, a workflow with one filter per skill, and its agents. */
export interface BenchWorkspace {
  readonly sid: string;
  readonly workflowSid: string;
  readonly queueSids: readonly string[];
  readonly agentSids: readonly string[];
  /** Task attributes for the n-th task: skills in turn, so every queue gets the same share. */
  attributesFor(n: number): string;
}

export interface WorkspaceShape {
  readonly name: string;
  readonly agents: number;
  readonly queues: number;
  /** Channel capacity of every agent (1 in the loops; up to 50 for "creation → reservation alone"). */
  readonly capacity: number;
  /** Where reservations are sent; none leaves them pending (with a long reservation timeout). */
  readonly assignmentCallbackUrl?: string;
}

async function inParallel(count: number, lanes: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, async () => {
    while (next < count) await work(next++);
  }));
}

/**
 * Creates the workspace over REST and waits until the log holds every agent's availability
 * (the matcher reads it from there through Kafka; callers warm up before measuring).
 */
export async function createBenchWorkspace(api: TaskRouterTestClient, pool: Pool, schema: string, shape: WorkspaceShape): Promise<BenchWorkspace> {
  const sid = (await api.ok('POST', 'Workspaces', { FriendlyName: shape.name })).sid as string;
  const ws = (path: string) => `Workspaces/${sid}/${path}`;
  const available = (await api.ok('GET', ws('Activities?FriendlyName=Available'))).activities[0].sid as string;
  const skills = Array.from({ length: shape.queues }, (_, i) => `s${i}`);
  const queueSids: string[] = [];
  for (const skill of skills) {
    queueSids.push((await api.ok('POST', ws('TaskQueues'), { FriendlyName: skill, TargetWorkers: `skills HAS "${skill}"` })).sid);
  }
  const configuration = { task_routing: { filters: skills.map((skill, i) => ({ filter_friendly_name: skill, expression: `skill == "${skill}"`, targets: [{ queue: queueSids[i] }] })) } };
  const workflowSid = (await api.ok('POST', ws('Workflows'), {
    FriendlyName: 'steady', Configuration: JSON.stringify(configuration),
    ...(shape.assignmentCallbackUrl ? { AssignmentCallbackUrl: shape.assignmentCallbackUrl } : { TaskReservationTimeout: 3600 }),
  })).sid as string;

  const agentSids: string[] = new Array(shape.agents);
  await inParallel(shape.agents, 8, async (i) => {
    const attributes = JSON.stringify({ skills: [skills[i % skills.length]] });
    if (shape.capacity === 1) {
      agentSids[i] = (await api.ok('POST', ws('Workers'), { FriendlyName: `agent${i}`, Attributes: attributes, ActivitySid: available })).sid;
    } else {
      const worker = (await api.ok('POST', ws('Workers'), { FriendlyName: `agent${i}`, Attributes: attributes })).sid as string;
      await api.ok('POST', ws(`Workers/${worker}/Channels/default`), { Capacity: shape.capacity });
      await api.ok('POST', ws(`Workers/${worker}`), { ActivitySid: available });
      agentSids[i] = worker;
    }
  });
  const availabilityEvent = shape.capacity === 1 ? 'WorkerCreated' : 'WorkerActivityChanged';
  await eventually(async () => {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE type = $1 AND data->>'workspaceSid' = $2`, [availabilityEvent, sid]);
    return rows[0].n >= shape.agents ? true : undefined;
  }, { timeoutMs: 120_000, intervalMs: 200, what: `${shape.agents} agents in the log` });
  return { sid, workflowSid, queueSids, agentSids, attributesFor: (n) => `{"skill":"${skills[n % skills.length]}"}` };
}
