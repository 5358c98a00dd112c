import type { StatisticsQueries, WorkerProfile, WorkerState } from '@taskrouter/read-model';

/** Profiles kept before the cache starts over: a few workspaces of 10,000 workers each. */
const MAX_PROFILES = 200_000;

/**
 * What TargetWorkers expressions read of each worker (attributes, name, activity), kept per
 * process by worker and version: a request reads every worker's version and state, which is
 * cheap, and the attributes only of the workers that changed since it last read them. A queue's
 * real-time figures then cost one light read of the workers instead of every worker's attributes
 * parsed anew, and stay exact: a worker's version moves with every change to it.
 */
export class WorkerProfiles {
  private readonly profiles = new Map<string, WorkerProfile>();

  constructor(private readonly queries: StatisticsQueries) {}

  /** The states of the workspace's workers, with the profile of each at least as new as its state. */
  async read(workspaceSid: string, channel?: string): Promise<{ states: WorkerState[]; profileOf: (sid: string) => WorkerProfile | undefined }> {
    const states = await this.queries.workerStates(workspaceSid, channel);
    // The request's own profiles: another request emptying the cache meanwhile cannot take them away.
    const mine = new Map<string, WorkerProfile>();
    const stale: string[] = [];
    for (const state of states) {
      const known = this.profiles.get(state.sid);
      if (known && known.version >= state.version) mine.set(state.sid, known);
      else stale.push(state.sid);
    }
    if (stale.length > 0) {
      if (this.profiles.size + stale.length > MAX_PROFILES) this.profiles.clear();
      for (const profile of await this.queries.workerProfiles(workspaceSid, stale)) {
        this.profiles.set(profile.sid, profile);
        mine.set(profile.sid, profile);
      }
    }
    return { states, profileOf: (sid) => mine.get(sid) };
  }
}
