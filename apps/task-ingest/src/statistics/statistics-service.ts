import {
  badRequest, NO_COUNTS, notFound, parseSplitByWaitTime, statisticsWindow, type CumulativeFigures, type StatisticsWindow, type TaskFigures, type TaskQueueView,
  type WorkerFigures,
} from '@taskrouter/contract';
import type { CumulativeFilter, StatisticsQueries } from '@taskrouter/read-model';
import type { FormReader } from '@taskrouter/contract';
import type { IngestContext } from '../ingest-context';
import { EligibleWorkers } from './eligible-workers';
import { WorkerProfiles } from './worker-profiles';

/** What the cumulative parameters of one request ask for. */
export interface CumulativeRequest {
  readonly window: StatisticsWindow;
  readonly channel?: string;
  readonly thresholds: readonly number[];
}

/** The statistics of the API: parameters read once per request, figures from a few queries each. */
export class StatisticsService {
  private readonly eligible = new EligibleWorkers();
  private readonly profiles: WorkerProfiles;

  constructor(private readonly context: IngestContext, private readonly queries: StatisticsQueries) {
    this.profiles = new WorkerProfiles(queries);
  }

  now(): Date {
    return this.context.clock();
  }

  /** `TaskChannel` by SID or unique name, as its unique name; one the workspace does not have is refused. */
  async channelOf(workspaceSid: string, query: FormReader): Promise<string | undefined> {
    const raw = query.string('TaskChannel');
    if (raw === undefined || raw === '') return undefined;
    const channel = await this.context.queries.taskChannel(workspaceSid, raw);
    if (!channel) throw badRequest(`TaskChannel '${raw.slice(0, 64)}' is not a TaskChannel of this Workspace`);
    return channel.uniqueName;
  }

  /** Window, channel and thresholds; every one is checked before anything is read. */
  async cumulativeRequest(workspaceSid: string, query: FormReader, options: { split: boolean }): Promise<CumulativeRequest> {
    const window = statisticsWindow({ minutes: query.string('Minutes'), startDate: query.string('StartDate'), endDate: query.string('EndDate') }, this.now());
    const thresholds = options.split ? parseSplitByWaitTime(query.string('SplitByWaitTime')) : [];
    return { window, thresholds, channel: await this.channelOf(workspaceSid, query) };
  }

  async tasks(workspaceSid: string, filter: { workflowSid?: string; channel?: string }): Promise<TaskFigures> {
    return (await this.queries.taskFigures(workspaceSid, filter, this.now())).get('')!;
  }

  async queueTasks(workspaceSid: string, queueSids: readonly string[], channel?: string): Promise<Map<string, TaskFigures>> {
    return this.queries.taskFigures(workspaceSid, { queueSids, channel }, this.now());
  }

  /** All workers of the workspace (or `workerSids` of them) by activity. */
  async workers(workspaceSid: string, channel?: string, workerSids?: readonly string[]): Promise<WorkerFigures> {
    const activities = await this.queries.activityCounts(workspaceSid, { channel, workerSids });
    return { activities, totalWorkers: activities.reduce((n, a) => n + a.workers, 0) };
  }

  /** Per queue, its eligible workers' figures; one read of the workers for every queue asked. */
  async queueWorkers(workspaceSid: string, queues: ReadonlyArray<{ sid: string; targetWorkers: string | null }>, channel?: string) {
    const [{ states, profileOf }, activities] = await Promise.all([this.profiles.read(workspaceSid, channel), this.queries.activityCounts(workspaceSid)]);
    return new Map(queues.map((queue) => [queue.sid, this.eligible.figures(queue.targetWorkers, states, profileOf, activities)]));
  }

  async queueOf(workspaceSid: string, queueSid: string): Promise<TaskQueueView> {
    const queue = await this.context.queries.taskQueue(workspaceSid, queueSid);
    if (!queue) throw notFound('The requested TaskQueue was not found');
    return queue;
  }

  /** Cumulative figures per SID of the scope (or for the whole scope, key ''). */
  async cumulative(workspaceSid: string, scope: CumulativeFilter['scope'], request: CumulativeRequest, sids?: readonly string[]): Promise<Map<string, CumulativeFigures>> {
    const filter: CumulativeFilter = { scope, sids, channel: request.channel };
    // The counters follow the log after the append: figures asked for right after a change count it.
    await this.context.history.settled();
    const [counts, splits] = await Promise.all([
      this.queries.cumulativeCounts(workspaceSid, filter, request.window),
      this.queries.waitSplits(workspaceSid, filter, request.window, request.thresholds),
    ]);
    return new Map([...counts].map(([key, c]) => [key, { start: request.window.start, end: request.window.end, counts: c, splits: splits.get(key) ?? [] }]));
  }

  /** The workers' cumulative figures: reservations summed over `workerSids` (all workers, deleted ones too, when absent) and activity durations. */
  async workersCumulative(workspaceSid: string, request: CumulativeRequest, workerSids?: readonly string[]): Promise<CumulativeFigures> {
    await this.context.history.settled();
    // Every reservation counts once for its worker and once for its workspace: for all workers (deleted ones too) the
    // workspace's few buckets give the same sums as every worker's buckets, which a busy hour holds tens of thousands of.
    const reservations = workerSids
      ? this.queries.cumulativeCounts(workspaceSid, { scope: 'worker', sids: workerSids, channel: request.channel }, request.window)
      : this.queries.cumulativeCounts(workspaceSid, { scope: 'workspace', sids: [workspaceSid], channel: request.channel }, request.window);
    const [byWorker, durations] = await Promise.all([
      reservations,
      this.queries.activityDurations(workspaceSid, request.window, this.now(), workerSids),
    ]);
    const values = [...byWorker.values()];
    const sum = (key: 'reservationsCreated' | 'reservationsAccepted' | 'reservationsRejected' | 'reservationsTimedOut' | 'reservationsCanceled') =>
      values.reduce((n, c) => n + c[key], 0);
    const counts = {
      ...NO_COUNTS,
      reservationsCreated: sum('reservationsCreated'), reservationsAccepted: sum('reservationsAccepted'), reservationsRejected: sum('reservationsRejected'),
      reservationsTimedOut: sum('reservationsTimedOut'), reservationsCanceled: sum('reservationsCanceled'),
    };
    return { start: request.window.start, end: request.window.end, counts, splits: [], activityDurations: durations };
  }
}
