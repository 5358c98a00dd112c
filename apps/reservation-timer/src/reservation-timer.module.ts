import { Module, type DynamicModule } from '@nestjs/common';
import { TimerSchedulerController } from './timer-scheduler.controller';
import { TimerWriter } from './timer-writer';

@Module({})
export class ReservationTimerModule {
  static with(timers: TimerWriter): DynamicModule {
    return { module: ReservationTimerModule, controllers: [TimerSchedulerController], providers: [{ provide: TimerWriter, useValue: timers }] };
  }
}
