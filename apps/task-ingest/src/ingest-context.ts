
import type { PostgresEventStore, StoredEvent, StreamAppend, Transaction } from '@taskrouter/event-store';
import type { HistoryReads, ReadModelProjector, ReadModelQueries } from '@taskrouter/read-model';
import { AggregateStore, GroupCommit, runDecision, type Decision } from '@taskrouter/runtime';
import { EMPTY_ALLOW_LIST, notFound, type OutgoingUrlAllowList, type WorkspaceView } from '@taskrouter/contract';
import { KeyedLanes } from './webhooks/keyed-lanes';

/** How many account/workspace pairs `requireWorkspace` remembers before it starts over. */
const MAX_REMEMBERED_WORKSPACES = 100_000;

export interface AuthSettings {
  readonly accountSid?: string;
  readonly authToken?: string;
}

/** What the edge's command services share: the log, the read model, time and new SIDs. */
export class IngestContext {
  readonly aggregates: AggregateStore;
  /** The callbacks' accepts and rejects being carried out: a command on their task is decided after them. */
  readonly instructions = new KeyedLanes();
  private readonly groupCommit: GroupCommit;
  private readonly ownedWorkspaces = new Set<string>();

  constructor(
    readonly eventStore: PostgresEventStore,
    readonly projector: ReadModelProjector,
    readonly queries: ReadModelQueries,
    readonly clock: () => Date,
    readonly newSid: (prefix: string) => string,
    readonly auth: AuthSettings,
    /** The Events and cumulative statistics follow the log after the append: their reads wait on it. */
    readonly history: HistoryReads,
    /** What callback URLs may reach beyond the public internet (OUTGOING_URL_ALLOW); checked when a URL is saved. */
    readonly outgoingUrls: OutgoingUrlAllowList = EMPTY_ALLOW_LIST,
    /** The process's one cache of states: the callbacks' accepts and the API's completes decide on what the other committed. */
    aggregates: AggregateStore = new AggregateStore(eventStore),
  ) {
    this.aggregates = aggregates;
    const project = (tx: Transaction, events: StoredEvent[]) => this.projector.project(tx, events);
    this.groupCommit = new GroupCommit({
      appendBatch: (decisions) => this.eventStore.appendBatch(decisions, project),
      appendAlone: (appends) => this.eventStore.append(appends, project),
    });
  }

  /**
   * Appends and projects, concurrent requests together in one transaction (group commit); each
   * resolves once its own events committed, so a read right after the answer sees the change.
   */
  readonly append = (appends: StreamAppend[]) => this.groupCommit.append(appends);

  decide<T>(attempt: () => Promise<Decision<T>>): Promise<T> {
    return runDecision(attempt, this.append, undefined, this.aggregates, 'api-command');
  }

  metadata(workspaceSid: string, accountSid: string): Record<string, unknown> {
    return { workspaceSid, accountSid, source: 'api' };
  }

  /**
   * TaskRouter's 404 unless the workspace belongs to the calling account. A workspace never
   * changes account and is never deleted (no Workspace delete yet: it must forget its entry
   * here when it comes), so an answer found once holds: a request asks the database only the
   * first time.
   */
  async requireWorkspace(accountSid: string, workspaceSid: string): Promise<void> {
    const key = `${accountSid}/${workspaceSid}`;
    if (this.ownedWorkspaces.has(key)) return;
    await this.workspaceOf(accountSid, workspaceSid);
    if (this.ownedWorkspaces.size >= MAX_REMEMBERED_WORKSPACES) this.ownedWorkspaces.clear();
    this.ownedWorkspaces.add(key);
  }

  /** The workspace, if it belongs to the calling account; otherwise TaskRouter's 404. */
  async workspaceOf(accountSid: string, workspaceSid: string): Promise<WorkspaceView> {
    const view = await this.queries.workspace(workspaceSid);
    if (!view || view.accountSid !== accountSid) throw notFound('The requested Workspace was not found');
    return view;
  }

}

