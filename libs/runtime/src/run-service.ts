import { ConfigError } from '@taskrouter/config';

/**
 * A service's process frame: start it, stop it cleanly on SIGINT/SIGTERM, and turn a bad
 * configuration or an unreachable dependency into one clear line and exit code 1.
 */
export function runService(name: string, start: () => Promise<{ stop(): Promise<void> }>): void {
  let stopping = false;
  start()
    .then((service) => {
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${name}: ${signal} received, stopping\n`);
        const forced = setTimeout(() => process.exit(1), 15_000);
        forced.unref();
        try {
          await service.stop();
          process.exit(0);
        } catch (error) {
          process.stderr.write(`${name}: error while stopping: ${(error as Error).message}\n`);
          process.exit(1);
        }
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    })
    .catch((error: unknown) => {
      const message = error instanceof ConfigError ? error.message : (error as Error)?.stack ?? String(error);
      process.stderr.write(`${name} could not start: ${message}\n`);
      process.exit(1);
    });
}
