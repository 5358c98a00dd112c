import type Redis from 'ioredis';
import type { LatencyHistogram } from './latency-histogram';

interface SentCommand {
  readonly name: string;
  readonly promise: Promise<unknown>;
}

/**
 * Times every command of `redis` into `histogram` by command name (a bounded set: the client's
 * commands and EVALSHA of our scripts), send to answer. Commands queued in a pipeline or MULTI go
 * out through the pipeline and are not timed.
 */
export function timeRedisCommands(redis: Redis, histogram: LatencyHistogram): void {
  const send = redis.sendCommand.bind(redis) as (command: SentCommand, ...rest: unknown[]) => unknown;
  (redis as unknown as { sendCommand: typeof send }).sendCommand = (command, ...rest) => {
    const started = performance.now();
    const result = send(command, ...rest);
    const done = () => histogram.record((performance.now() - started) / 1000, command.name);
    command.promise.then(done, done);
    return result;
  };
}
