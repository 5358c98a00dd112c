import { acceptReservation, cancelReservation, DomainError, rejectReservation, type TaskAndWorkerEvents } from '@taskrouter/domain';
import type { OutgoingUrlAllowList } from '@taskrouter/contract';
import type { StreamAppend } from '@taskrouter/event-store';
import { EventConsumer, concurrentByKey, type ConsumedRecord, type DeadLetterPolicy, type KafkaConnection } from '@taskrouter/messaging';
import { observedEventOf, runDecision, taskAndWorkerAppends, type AggregateStore } from '@taskrouter/runtime';
import { assignmentCallbackParameters, readAssignmentInstruction, type AssignmentInstruction } from './assignment-callback-request';
import { guardedPost } from './guarded-post';
import type { InstructionsInFlight } from './instructions-in-flight';
import { twilioSignature } from './twilio-signature';

/** Reservations of one partition whose callbacks may be waiting at once (different tasks; one task's stay in order). */
export const CALLBACKS_IN_FLIGHT_PER_PARTITION = 32;

/** "To respond with an instruction the app must answer within 5 seconds." */
export const ASSIGNMENT_CALLBACK_TIMEOUT_MS = 5_000;

interface CallbackAnswer { readonly status: number; readonly contentType: string | null; readonly body: string }

/**
 * TaskRouter's assignment callback: when a reservation is created, POST it to the workflow's
 * AssignmentCallbackUrl (then the fallback) and carry out an `accept` or `reject` instruction in
 * the answer. If neither URL answers 200 in time, the reservation is canceled. Delivered at least
 * once: a redelivered TaskReserved calls again, and an instruction for a reservation that is no
 * longer pending changes nothing.
 */
export class AssignmentCallbacks {
  private readonly consumer: EventConsumer;
  private readonly outgoingUrls: OutgoingUrlAllowList;
  private readonly instructions: InstructionsInFlight;

  constructor(
    connection: KafkaConnection,
    private readonly aggregates: AggregateStore,
    private readonly append: (appends: StreamAppend[]) => Promise<unknown>,
    private readonly clock: () => Date,
    /** Signs every call (`X-Twilio-Signature`): the account's auth token, or the development one (callback-signing-token.ts). */
    private readonly signingToken: string,
    options: { groupId: string; topic: string; deadLetters?: DeadLetterPolicy; outgoingUrls: OutgoingUrlAllowList; instructions: InstructionsInFlight },
  ) {
    this.outgoingUrls = options.outgoingUrls;
    this.instructions = options.instructions;
    this.consumer = new EventConsumer(connection, {
      groupId: options.groupId, topics: [options.topic], fromBeginning: true, partitionsConsumedConcurrently: 6, deadLetters: options.deadLetters,
      handler: (record) => this.take(record),
      // Each reservation waits on its app's answer: the others of the batch do not wait behind it.
      batchHandler: concurrentByKey(CALLBACKS_IN_FLIGHT_PER_PARTITION),
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async take(record: ConsumedRecord): Promise<void> {
    // Every task event is folded into the cache, so the task of a reservation is known without a read.
    const event = observedEventOf(record);
    if (event) this.observe(event);
    if (record.headers['event-type'] !== 'TaskReserved' || !event) return;
    const data = event.data as { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; queueSid: string };
    const task = await this.aggregates.loadAtLeast('task', data.taskSid, event.streamVersion);
    if (task.state.reservations[data.reservationSid]?.status !== 'pending') return;
    // The worker and the workflow in one read; the workflow the latest: a callback URL change the
    // API acknowledged applies to every reservation after it.
    const [worker, workspace, workflow] = await Promise.all([
      this.aggregates.load('worker', data.workerSid), this.aggregates.loadRecent('workspace', data.workspaceSid), this.aggregates.load('workflow', task.state.workflowSid),
    ]);
    const urls = [workflow.state.assignmentCallbackUrl, workflow.state.fallbackAssignmentCallbackUrl].filter((url): url is string => Boolean(url));
    if (urls.length === 0) return;
    const params = assignmentCallbackParameters({
      accountSid: workspace.state.accountSid, task: task.state, worker: worker.state, reservationSid: data.reservationSid, queueSid: data.queueSid, now: this.clock(),
    });
    for (const url of urls) {
      const answer = await this.post(url, params, data.reservationSid);
      if (answer?.status === 200) {
        // Registered before anything else runs: the app's next request on the task waits for its instruction.
        await this.instructions.carryOut(data.taskSid, () => this.carryOut(readAssignmentInstruction(answer.contentType, answer.body), data));
        return;
      }
    }
    await this.decide(data, (taskState, workerState, now) => cancelReservation(data.reservationSid, 'The assignment callback could not be reached', taskState, workerState, now));
  }

  /**
   * An event the domain cannot fold (a poison event) is for the consumers that act on it to park;
   * here it only leaves the cached task behind, so the next load of that task reads its stream.
   */
  private observe(event: NonNullable<ReturnType<typeof observedEventOf>>): void {
    try {
      this.aggregates.observe(event);
    } catch {
      this.aggregates.markStale([event.streamId]);
    }
  }

  /**
   * One call under the outgoing URL policy (guarded-post.ts). A URL the policy refuses, a redirect,
   * an oversized or late answer all count as "could not be reached", so the fallback or the
   * cancel follows; each is logged with the host only (a query string may hold secrets).
   */
  private async post(url: string, params: Record<string, string>, reservationSid: string): Promise<CallbackAnswer | null> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'open-taskrouter',
      'x-twilio-signature': twilioSignature(this.signingToken, url, params),
    };
    const outcome = await guardedPost(url, new URLSearchParams(params).toString(), headers, { allowList: this.outgoingUrls, timeoutMs: ASSIGNMENT_CALLBACK_TIMEOUT_MS });
    if (outcome.kind === 'answered') return outcome;
    const where = URL.canParse(url) ? new URL(url).host : 'an invalid URL';
    process.stderr.write(`task-ingest: assignment callback for ${reservationSid} to ${where} ${outcome.kind === 'refused' ? 'refused' : 'failed'}: ${outcome.reason}\n`);
    return null;
  }

  private async carryOut(instruction: AssignmentInstruction, data: { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string }): Promise<void> {
    if (instruction.kind === 'accept') {
      await this.decide(data, (task, worker, now) => acceptReservation(data.reservationSid, task, worker, now));
    } else if (instruction.kind === 'reject') {
      await this.decide(data, (task, worker, now, workspace) => rejectReservation(data.reservationSid, instruction.activitySid, task, worker, workspace, now));
    } else if (instruction.kind === 'unsupported') {
      process.stderr.write(`task-ingest: assignment callback for ${data.reservationSid} answered '${instruction.instruction}', an instruction this server does not carry out; the reservation stays pending\n`);
    }
  }

  private async decide(
    data: { workspaceSid: string; taskSid: string; workerSid: string },
    decision: (task: Parameters<typeof acceptReservation>[1], worker: Parameters<typeof acceptReservation>[2], now: Date, workspace: Parameters<typeof rejectReservation>[4]) => TaskAndWorkerEvents,
  ): Promise<void> {
    try {
      await runDecision(async () => {
        const [task, worker, workspace] = await Promise.all([
          this.aggregates.load('task', data.taskSid), this.aggregates.load('worker', data.workerSid), this.aggregates.load('workspace', data.workspaceSid),
        ]);
        const decided = decision(task.state, worker.state, this.clock(), workspace.state);
        return { appends: taskAndWorkerAppends(task, worker, decided, { workspaceSid: data.workspaceSid, source: 'assignment-callback' }), result: undefined };
      }, this.append, undefined, this.aggregates);
    } catch (error) {
      // The reservation was answered some other way meanwhile (accepted by REST, timed out): nothing to do.
      if (!(error instanceof DomainError)) throw error;
    }
  }
}
