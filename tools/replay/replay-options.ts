export interface ReplayOptions {
  /** Swap the rebuilt tables in even where they differ from the live ones. */
  readonly repair: boolean;
  /** Rebuild and verify the tables only, leaving Redis and the timers to the running services. */
  readonly tablesOnly: boolean;
  /** How long to wait for the relay and the consumers to catch up before comparing Redis and timers. */
  readonly settleMs: number;
}

export const REPLAY_USAGE = `usage: npm run replay -- [--repair] [--tables-only] [--settle-seconds N]
  --repair            swap the rebuilt tables in even where they differ from the live ones
  --tables-only       rebuild and verify the tables alone (safe under full load); Redis and the
                      timers stay with the running services
  --settle-seconds N  wait up to N seconds (default 15) for the relay and consumers to catch up
                      before comparing the availability index and timers with the live ones`;

/** Reads the command line; throws with the usage on anything it does not know. */
export function readReplayOptions(args: string[]): ReplayOptions | 'help' {
  let repair = false;
  let tablesOnly = false;
  let settleMs = 15_000;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--repair') repair = true;
    else if (arg === '--tables-only') tablesOnly = true;
    else if (arg === '--settle-seconds') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 0 || value > 3600) throw new Error(`--settle-seconds takes 0 to 3600, got '${args[i]}'\n${REPLAY_USAGE}`);
      settleMs = value * 1000;
    } else throw new Error(`unknown argument '${arg}'\n${REPLAY_USAGE}`);
  }
  return { repair, tablesOnly, settleMs };
}
