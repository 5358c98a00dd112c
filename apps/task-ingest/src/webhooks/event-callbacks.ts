import { taskRouterEventsOf, type AnyDomainEvent } from '@taskrouter/domain';
import { EventConsumer, type ConsumedRecord, type DeadLetterPolicy, type KafkaConnection } from '@taskrouter/messaging';
import { historyHolds, type EventQueries, type HistoryReads } from '@taskrouter/read-model';
import { observedEventOf, type AggregateStore } from '@taskrouter/runtime';
import { destinationOf } from './destination-queues';
import { eventCallbackParameters, type EventForCallback } from './event-callback-parameters';
import { EVENT_CALLBACK_TIMEOUT_MS } from './event-callback-retries';
import { eventsFilterOf } from './events-filter';
import { HeldDeliveries } from './held-deliveries';
import type { KeyedLanes } from './keyed-lanes';
import { observeEvent } from './observe-event';
import { retriedStep } from './retried-step';
import type { WebhookDrops } from './webhook-drops';
import type { WebhookDispatcher, WebhookOutcome } from './webhook-dispatcher';

export interface EventCallbacksOptions {
  readonly groupId: string;
  /** Every event topic: Events come from tasks, workers and the configuration. */
  readonly topics: string[];
  readonly deadLetters?: DeadLetterPolicy;
  /** A lane per stream: one resource's callbacks go one after the other, in the order of its Events. */
  readonly lanes: KeyedLanes;
  /** The waits between tries (event-callback-retries.ts); their count plus one is the number of tries. */
  readonly retryDelaysMs: readonly number[];
}

/**
 * TaskRouter's event callbacks (reference §10.1): every Event of a workspace with an
 * `EventCallbackUrl` (and its `EventsFilter`) is POSTed there, form-encoded with TaskRouter's
 * parameters and signed, through the webhook dispatcher. The Events are the ones `GET /Events`
 * serves, found by their SIDs, which follow from the log event, once the history projector has
 * projected that event (history-projector.ts). At least once: the
 * record's offset is held until its callbacks ended, so those under way at a crash are made again;
 * in order per resource; each tried again after 1 s, 5 s, 30 s and 2 min, then dropped and
 * recorded (webhook-drops.ts).
 */
export class EventCallbacks {
  private readonly consumer: EventConsumer;
  private readonly filters = new Map<string, (eventType: string) => boolean>();
  private readonly deliveries: HeldDeliveries;

  constructor(
    connection: KafkaConnection,
    private readonly aggregates: AggregateStore,
    private readonly events: EventQueries,
    private readonly history: HistoryReads,
    private readonly dispatcher: WebhookDispatcher,
    private readonly drops: WebhookDrops,
    private readonly options: EventCallbacksOptions,
  ) {
    this.deliveries = new HeldDeliveries(options.lanes, (line) => process.stderr.write(`task-ingest: ${line}\n`), 'redeliver');
    this.consumer = new EventConsumer(connection, {
      groupId: options.groupId, topics: options.topics, fromBeginning: true, partitionsConsumedConcurrently: 6, deadLetters: options.deadLetters,
      handler: (record) => this.take(record),
    });
  }

  start(): Promise<void> {
    this.deliveries.resume();
    return this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop(() => this.deliveries.stop());
  }

  private async take(record: ConsumedRecord): Promise<void> {
    const event = observedEventOf(record);
    if (!event) return;
    observeEvent(this.aggregates, event);
    // An event without a workspace (a poison event) gives no Events: nothing to park here.
    const workspaceSid = (event.data as { workspaceSid?: unknown } | null)?.workspaceSid;
    if (typeof workspaceSid !== 'string') return;
    // Most workspaces have no callback URL: they cost a cached lookup, nothing more.
    const workspace = await this.aggregates.loadRecent('workspace', workspaceSid);
    const url = workspace.state.eventCallbackUrl;
    if (!url) return;
    const wanted = this.filterOf(workspace.state.eventsFilter);
    let records: ReturnType<typeof taskRouterEventsOf>['records'];
    try {
      records = taskRouterEventsOf(event as unknown as AnyDomainEvent, event.streamVersion).records;
    } catch {
      return; // An event the domain does not know gives no Events (the projection skipped it too).
    }
    // A workflow.timeout may turn out to be a workflow.skipped once its facts are read.
    const sids = records.filter((r) => wanted(r.eventType) || (r.eventType === 'workflow.timeout' && wanted('workflow.skipped'))).map((r) => r.sid);
    if (sids.length === 0) return;
    this.deliveries.start(this.consumer, record, event.streamId, `event callbacks of ${event.streamId}@${event.streamVersion}`, () => this.deliver(event, workspaceSid, sids, url, wanted));
  }

  private step<T>(work: () => Promise<T>): Promise<T> {
    return retriedStep(work, () => this.deliveries.stopping);
  }

  private filterOf(text: string | null): (eventType: string) => boolean {
    const key = text ?? '';
    let filter = this.filters.get(key);
    if (!filter) {
      if (this.filters.size >= 10_000) this.filters.clear();
      filter = eventsFilterOf(text);
      this.filters.set(key, filter);
    }
    return filter;
  }

  private async deliver(event: object, workspaceSid: string, sids: string[], url: string, wanted: (eventType: string) => boolean): Promise<void> {
    // The Events are projected after the log event commits: wait until its are there (a timeout means the projector is
    // away, and the step is tried again).
    const views = await this.step(async () => {
      if (!(await historyHolds(this.history, event))) throw new Error('the history has not projected these Events yet');
      return this.events.bySids(workspaceSid, sids);
    });
    for (const view of views) {
      if (wanted(view.eventType)) await this.deliverOne(view, url);
    }
  }

  /** One Event's callback, tried until it is answered 2xx or its tries are spent (then recorded as dropped). */
  private async deliverOne(event: EventForCallback, url: string): Promise<void> {
    const params = eventCallbackParameters(event);
    const delays = this.options.retryDelaysMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.dispatcher.send(url, params, EVENT_CALLBACK_TIMEOUT_MS, 'event');
      if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) return;
      const delay = outcome.kind === 'refused' ? undefined : delays[attempt - 1];
      if (delay === undefined || this.deliveries.stopping) {
        if (this.deliveries.stopping) return;
        await this.step(() => this.drops.record({
          workspaceSid: event.workspaceSid, eventSid: event.sid, eventType: event.eventType, destination: destinationOf(url), attempts: attempt, reason: reasonOf(outcome),
        }));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function reasonOf(outcome: WebhookOutcome): string {
  return outcome.kind === 'answered' ? `answered ${outcome.status}` : `${outcome.kind}: ${outcome.reason}`;
}
