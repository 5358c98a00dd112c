import type { OutgoingUrlAllowList } from '@taskrouter/contract';
import { guardedPost, type PostOutcome } from '../callbacks/guarded-post';
import { twilioSignature } from '../callbacks/twilio-signature';
import { DestinationQueues, DROPPED, destinationOf, type DestinationLimits } from './destination-queues';

/**
 * Per destination (docs/limits.md, "Outgoing calls"): 32 calls under way at once, 2,000 waiting.
 * At the callbacks' 5 s deadline a dead endpoint holds 32 calls for 5 s and drops what its
 * queue cannot take, while every other endpoint's calls go at once.
 */
export const WEBHOOK_DESTINATION_LIMITS: DestinationLimits = { concurrency: 32, maxQueued: 2_000 };

export type WebhookOutcome = PostOutcome | { readonly kind: 'dropped'; readonly reason: string };

/** What a call is for: the `kind` label of taskrouter_webhook_deliveries_total. */
export type WebhookPurpose = 'assignment' | 'event';

/** A call's outcome as the metric's `outcome` label: answered_2xx, answered_other, refused, failed, dropped. */
export function deliveryOutcomeLabel(outcome: WebhookOutcome): string {
  if (outcome.kind !== 'answered') return outcome.kind;
  return outcome.status >= 200 && outcome.status < 300 ? 'answered_2xx' : 'answered_other';
}

export interface WebhookDispatcherOptions {
  /** What callback URLs may reach beyond the public internet (OUTGOING_URL_ALLOW). */
  readonly allowList: OutgoingUrlAllowList;
  /** Signs every call (`X-Twilio-Signature`): the account's auth token, or the development one. */
  readonly signingToken: string;
  readonly limits?: DestinationLimits;
  /** Told every call's end (the deliveries metric); cheap and synchronous. */
  readonly onDelivered?: (purpose: WebhookPurpose, outcome: WebhookOutcome) => void;
}

/**
 * The one way out for task-ingest's outgoing HTTP calls: each is form-encoded, signed, queued
 * on its destination (an origin) with that destination's own concurrency and queue bound, and
 * sent under the outgoing URL policy (guarded-post.ts: checked again after DNS, no redirects,
 * answers capped in size and time). A slow or dead endpoint delays only its own calls; a call its
 * full queue cannot take is answered `dropped` at once, for the caller to count as a failure.
 */
export class WebhookDispatcher {
  private readonly queues: DestinationQueues;
  private readonly limits: DestinationLimits;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.limits = options.limits ?? WEBHOOK_DESTINATION_LIMITS;
    this.queues = new DestinationQueues(this.limits);
  }

  /** POSTs `params` to `url`; `timeoutMs` counts from when the call leaves its queue. */
  async send(url: string, params: Record<string, string>, timeoutMs: number, purpose: WebhookPurpose = 'event'): Promise<WebhookOutcome> {
    const outcome = await this.sendOnce(url, params, timeoutMs);
    this.options.onDelivered?.(purpose, outcome);
    return outcome;
  }

  private async sendOnce(url: string, params: Record<string, string>, timeoutMs: number): Promise<WebhookOutcome> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'open-taskrouter',
      'x-twilio-signature': twilioSignature(this.options.signingToken, url, params),
    };
    const body = new URLSearchParams(params).toString();
    const destination = destinationOf(url);
    const outcome = await this.queues.run(destination, () => guardedPost(url, body, headers, { allowList: this.options.allowList, timeoutMs }));
    if (outcome !== DROPPED) return outcome;
    return { kind: 'dropped', reason: `${this.limits.maxQueued} calls to this destination were already waiting` };
  }

  /** Calls under way and waiting for the destination of `url`. */
  load(url: string): { active: number; waiting: number } {
    return this.queues.load(destinationOf(url));
  }
}
