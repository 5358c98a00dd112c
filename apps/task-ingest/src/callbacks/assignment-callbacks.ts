import { acceptReservation, cancelReservation, DomainError, rejectReservation, type TaskAndWorkerEvents } from '@taskrouter/domain';
import type { StreamAppend } from '@taskrouter/event-store';
import { EventConsumer, type ConsumedRecord, type DeadLetterPolicy, type KafkaConnection } from '@taskrouter/messaging';
import { observedEventOf, runDecision, taskAndWorkerAppends, type AggregateStore } from '@taskrouter/runtime';
import { HeldDeliveries } from '../webhooks/held-deliveries';
import type { KeyedLanes } from '../webhooks/keyed-lanes';
import { observeEvent } from '../webhooks/observe-event';
import { retriedStep } from '../webhooks/retried-step';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { assignmentCallbackParameters, readAssignmentInstruction, type AssignmentInstruction } from './assignment-callback-request';

/** "To respond with an instruction the app must answer within 5 seconds." */
export const ASSIGNMENT_CALLBACK_TIMEOUT_MS = 5_000;

interface ReservedData {
  readonly workspaceSid: string;
  readonly taskSid: string;
  readonly reservationSid: string;
  readonly workerSid: string;
  readonly queueSid: string;
}

/**
 * TaskRouter's assignment callback: when a reservation is created, POST it to the workflow's
 * AssignmentCallbackUrl (then the fallback) and carry out an `accept` or `reject` instruction in
 * the answer. If neither URL answers 200 in time, the reservation is canceled.
 *
 * The consumer never waits for an app: a TaskReserved is handed to the webhook dispatcher (each
 * destination with its own queue) and the partition goes on, while the record's offset is held
 * until its delivery has ended, so a delivery under way at a crash is made again (at least once:
 * an instruction for a reservation that is no longer pending changes nothing). One task's
 * deliveries go one after the other, in the order of its reservations.
 */
export class AssignmentCallbacks {
  private readonly consumer: EventConsumer;
  private readonly instructions: KeyedLanes;
  private readonly deliveries: HeldDeliveries;

  constructor(
    connection: KafkaConnection,
    private readonly aggregates: AggregateStore,
    private readonly append: (appends: StreamAppend[]) => Promise<unknown>,
    private readonly clock: () => Date,
    private readonly dispatcher: WebhookDispatcher,
    options: {
      groupId: string; topic: string; deadLetters?: DeadLetterPolicy;
      /** The instructions being carried out, by task: REST commands on the task wait for them. */
      instructions: KeyedLanes;
      /** A lane per task for its deliveries (its own instance, not `instructions`). */
      deliveries: KeyedLanes;
    },
  ) {
    this.instructions = options.instructions;
    this.deliveries = new HeldDeliveries(options.deliveries, (line) => process.stderr.write(`task-ingest: ${line}\n`));
    this.consumer = new EventConsumer(connection, {
      groupId: options.groupId, topics: [options.topic], fromBeginning: true, partitionsConsumedConcurrently: 6, deadLetters: options.deadLetters,
      handler: async (record) => this.take(record),
    });
  }

  start(): Promise<void> {
    this.deliveries.resume();
    return this.consumer.start();
  }

  /** Stops taking reservations; deliveries under way get a moment, then are left to be made again. */
  async stop(): Promise<void> {
    await this.consumer.stop(() => this.deliveries.stop());
  }

  private take(record: ConsumedRecord): void {
    // Every task event is folded into the cache, so the task of a reservation is known without a read.
    const event = observedEventOf(record);
    if (event) observeEvent(this.aggregates, event);
    if (record.headers['event-type'] !== 'TaskReserved' || !event) return;
    const data = event.data as ReservedData;
    this.deliveries.start(this.consumer, record, data.taskSid, `assignment callback for ${data.reservationSid}`, () => this.deliver(data, event.streamVersion));
  }

  private async deliver(data: ReservedData, reservedAtVersion: number): Promise<void> {
    const call = await this.step(() => this.callFor(data, reservedAtVersion));
    if (!call) return;
    for (const url of call.urls) {
      const outcome = await this.dispatcher.send(url, call.params, ASSIGNMENT_CALLBACK_TIMEOUT_MS, 'assignment');
      if (outcome.kind === 'answered' && outcome.status === 200) {
        const instruction = readAssignmentInstruction(outcome.contentType, outcome.body);
        // The app's next request on the task waits for this instruction to be carried out.
        await this.instructions.run(data.taskSid, () => this.step(() => this.carryOut(instruction, data)));
        return;
      }
      if (outcome.kind !== 'answered') {
        // The host only: a query string may hold secrets.
        const where = URL.canParse(url) ? new URL(url).host : 'an invalid URL';
        process.stderr.write(`task-ingest: assignment callback for ${data.reservationSid} to ${where} ${outcome.kind}: ${outcome.reason}\n`);
      }
    }
    await this.step(() => this.decide(data, (task, worker, now) => cancelReservation(data.reservationSid, 'The assignment callback could not be reached', task, worker, now)));
  }

  /** The URLs and parameters of the reservation's call, or null when there is nothing to call (any more). */
  private async callFor(data: ReservedData, reservedAtVersion: number): Promise<{ urls: string[]; params: Record<string, string> } | null> {
    const task = await this.aggregates.loadAtLeast('task', data.taskSid, reservedAtVersion);
    if (task.state.reservations[data.reservationSid]?.status !== 'pending') return null;
    // The worker and the workflow in one read; the workflow the latest: a callback URL change the
    // API acknowledged applies to every reservation after it.
    const [worker, workspace, workflow] = await Promise.all([
      this.aggregates.load('worker', data.workerSid), this.aggregates.loadRecent('workspace', data.workspaceSid), this.aggregates.load('workflow', task.state.workflowSid),
    ]);
    const urls = [workflow.state.assignmentCallbackUrl, workflow.state.fallbackAssignmentCallbackUrl].filter((url): url is string => Boolean(url));
    if (urls.length === 0) return null;
    const params = assignmentCallbackParameters({
      accountSid: workspace.state.accountSid, task: task.state, worker: worker.state, reservationSid: data.reservationSid, queueSid: data.queueSid, now: this.clock(),
    });
    return { urls, params };
  }

  private step<T>(work: () => Promise<T>): Promise<T> {
    return retriedStep(work, () => this.deliveries.stopping);
  }

  private async carryOut(instruction: AssignmentInstruction, data: ReservedData): Promise<void> {
    if (instruction.kind === 'accept') {
      await this.decide(data, (task, worker, now) => acceptReservation(data.reservationSid, task, worker, now));
    } else if (instruction.kind === 'reject') {
      await this.decide(data, (task, worker, now, workspace) => rejectReservation(data.reservationSid, instruction.activitySid, task, worker, workspace, now));
    } else if (instruction.kind === 'unsupported') {
      process.stderr.write(`task-ingest: assignment callback for ${data.reservationSid} answered '${instruction.instruction}', an instruction this server does not carry out; the reservation stays pending\n`);
    }
  }

  private async decide(
    data: ReservedData,
    decision: (task: Parameters<typeof acceptReservation>[1], worker: Parameters<typeof acceptReservation>[2], now: Date, workspace: Parameters<typeof rejectReservation>[4]) => TaskAndWorkerEvents,
  ): Promise<void> {
    try {
      await runDecision(async () => {
        const [task, worker, workspace] = await Promise.all([
          this.aggregates.load('task', data.taskSid), this.aggregates.load('worker', data.workerSid), this.aggregates.load('workspace', data.workspaceSid),
        ]);
        const decided = decision(task.state, worker.state, this.clock(), workspace.state);
        return { appends: taskAndWorkerAppends(task, worker, decided, { workspaceSid: data.workspaceSid, source: 'assignment-callback' }), result: undefined };
      }, this.append, undefined, this.aggregates, 'assignment-instruction');
    } catch (error) {
      // The reservation was answered some other way meanwhile (accepted by REST, timed out): nothing to do.
      if (!(error instanceof DomainError)) throw error;
    }
  }
}
