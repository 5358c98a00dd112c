import 'reflect-metadata';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import type { StoredEvent } from '@taskrouter/event-store';
import { TIMER_EVENT_TYPES } from './timer-change-of-event';
import type { TimerChanges } from './timer-changes';
import { TimerSchedulerController } from './timer-scheduler.controller';
import type { TimerStore } from './timer-store';

const stored = (type: string, data: unknown): StoredEvent =>
  ({ position: '1', transactionId: '1', streamId: 'task:WT1', streamVersion: 1, type, schemaVersion: 1, data, metadata: {}, recordedAt: '' }) as StoredEvent;

describe('TimerSchedulerController', () => {
  it('is called for every event type the batches change timers for, so a record handled alone does what its batch would', () => {
    expect(Reflect.getMetadata(PATTERN_METADATA, TimerSchedulerController.prototype.onTimerEvent)).toEqual([...TIMER_EVENT_TYPES]);
  });

  it('writes the event\'s change at once, and nothing for an event without one', async () => {
    const applied: TimerChanges[] = [];
    const controller = new TimerSchedulerController({ apply: async (changes: TimerChanges) => void applied.push(changes) } as unknown as TimerStore);
    await controller.onTimerEvent(stored('ReservationAccepted', { workspaceSid: 'WS1', taskSid: 'WT1', reservationSid: 'WR1' }));
    await controller.onTimerEvent(stored('TaskRouted', { workspaceSid: 'WS1', taskSid: 'WT1', targetTimeout: null, step: { filterIndex: 0, targetIndex: 0 }, at: '2026-01-01T10:00:00.000Z' }));
    expect(applied.map((changes) => changes.cancelledTasks())).toEqual([['WT1']]);
  });
});
