
import type { PostgresEventStore, StreamAppend } from '@taskrouter/event-store';
import type { ReadModelProjector, ReadModelQueries } from '@taskrouter/read-model';
import { AggregateStore, runDecision, type Decision } from '@taskrouter/runtime';
import { EMPTY_ALLOW_LIST, notFound, type OutgoingUrlAllowList, type WorkspaceView } from '@taskrouter/contract';

export interface AuthSettings {
  readonly accountSid?: string;
  readonly authToken?: string;
}

/** What the edge's command services share: the log, the read model, time and new SIDs. */
export class IngestContext {
  readonly aggregates: AggregateStore;

  constructor(
    readonly eventStore: PostgresEventStore,
    readonly projector: ReadModelProjector,
    readonly queries: ReadModelQueries,
    readonly clock: () => Date,
    readonly newSid: (prefix: string) => string,
    readonly auth: AuthSettings,
    /** What callback URLs may reach beyond the public internet (OUTGOING_URL_ALLOW); checked when a URL is saved. */
    readonly outgoingUrls: OutgoingUrlAllowList = EMPTY_ALLOW_LIST,
  ) {
    this.aggregates = new AggregateStore(eventStore);
  }

  /** Appends and projects in one transaction, so a read right after the answer sees the change. */
  readonly append = (appends: StreamAppend[]) => this.eventStore.append(appends, this.projector.project);

  decide<T>(attempt: () => Promise<Decision<T>>): Promise<T> {
    return runDecision(attempt, this.append);
  }

  metadata(workspaceSid: string, accountSid: string): Record<string, unknown> {
    return { workspaceSid, accountSid, source: 'api' };
  }

  /** The workspace, if it belongs to the calling account; otherwise TaskRouter's 404. */
  async workspaceOf(accountSid: string, workspaceSid: string): Promise<WorkspaceView> {
    const view = await this.queries.workspace(workspaceSid);
    if (!view || view.accountSid !== accountSid) throw notFound('The requested Workspace was not found');
    return view;
  }

}

