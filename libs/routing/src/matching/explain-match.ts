import type { MatchedReservation, TaskLeftWaiting } from './batch-match';

/** One line for logs and the routing explanation: who got the task and who was passed over. */
export function explainMatch(outcome: MatchedReservation | TaskLeftWaiting): string {
  const { orderBy, declined, notQualified } = outcome.explanation;
  const ranking = orderBy ? `ranked by order_by ${orderBy}, then longest idle` : 'longest idle first';
  const passedOver = [declined ? `${declined} had declined the task` : '', notQualified ? `${notQualified} did not match the target` : ''].filter(Boolean).join(', ');
  if ('workerSid' in outcome) {
    return `reserved ${outcome.workerSid} on ${outcome.channel} (${ranking}${passedOver ? `; passed over with free capacity: ${passedOver}` : ''})`;
  }
  if (outcome.reason === 'no-free-capacity') return `waiting: no worker of the queue had free capacity on ${outcome.task.channel}`;
  return `waiting: no qualified worker with free capacity on ${outcome.task.channel} (${passedOver})`;
}
