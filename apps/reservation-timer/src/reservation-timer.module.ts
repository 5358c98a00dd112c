import { Module, type DynamicModule } from '@nestjs/common';
import { TimerSchedulerController } from './timer-scheduler.controller';
import { TimerStore } from './timer-store';

@Module({})
export class ReservationTimerModule {
  static with(timers: TimerStore): DynamicModule {
    return { module: ReservationTimerModule, controllers: [TimerSchedulerController], providers: [{ provide: TimerStore, useValue: timers }] };
  }
}
