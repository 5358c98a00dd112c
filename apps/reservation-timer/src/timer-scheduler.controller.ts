import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@taskrouter/event-store';
import { TIMER_EVENT_TYPES, timerChangeOf } from './timer-change-of-event';
import { TimerChanges } from './timer-changes';
import { TimerStore } from './timer-store';

/**
 * Turns a deadline's event into its timer, or its cancel, for a record handled alone (a retry,
 * a dead letter's): the records of a consumed batch go through `timerChangeBatches`, together.
 */
@Controller()
export class TimerSchedulerController {
  constructor(private readonly timers: TimerStore) {}

  @EventPattern([...TIMER_EVENT_TYPES])
  async onTimerEvent(@Payload() event: StoredEvent): Promise<void> {
    const change = timerChangeOf(event);
    if (change) await this.timers.apply(new TimerChanges().add(change));
  }
}
