import { Module, type DynamicModule } from '@nestjs/common';
import { MatcherPorts } from './matcher-ports';
import { QueueMatcherController } from './queue-matcher.controller';

@Module({})
export class QueueMatcherModule {
  static with(ports: MatcherPorts): DynamicModule {
    return { module: QueueMatcherModule, controllers: [QueueMatcherController], providers: [{ provide: MatcherPorts, useValue: ports }] };
  }
}
