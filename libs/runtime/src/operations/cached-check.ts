/** One dependency's answer to a readiness check. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed (or what it found), for the operator reading the probe's body. */
  readonly detail?: string;
  readonly ms: number;
}

export interface CachedCheckOptions {
  /** A check slower than this failed; default 1000 ms. */
  readonly timeoutMs?: number;
  /** A result is reused this long, so probes stay cheap; default 1000 ms. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * A readiness check bounded in time and cached: probes arriving together share one run, a result
 * serves every probe for `cacheMs`, and a dependency that hangs fails after `timeoutMs` instead of
 * holding the probe (the hanging call is not repeated while it is still under way).
 */
export class CachedCheck {
  private last: { result: CheckResult; at: number } | undefined;
  private running: Promise<CheckResult> | undefined;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(readonly name: string, private readonly run: () => Promise<unknown>, options: CachedCheckOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.cacheMs = options.cacheMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  result(): Promise<CheckResult> {
    if (this.last && this.now() - this.last.at < this.cacheMs) return Promise.resolve(this.last.result);
    this.running ??= this.runBounded().then((result) => {
      this.last = { result, at: this.now() };
      this.running = undefined;
      return result;
    });
    return this.running;
  }

  private async runBounded(): Promise<CheckResult> {
    const started = this.now();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${this.timeoutMs} ms`), this.timeoutMs)));
    try {
      const failure = await Promise.race([this.run().then(() => undefined, (error: unknown) => describe(error)), late]);
      return { name: this.name, ok: failure === undefined, ...(failure === undefined ? {} : { detail: failure }), ms: this.now() - started };
    } finally {
      clearTimeout(timer);
    }
  }
}

function describe(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(error);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
