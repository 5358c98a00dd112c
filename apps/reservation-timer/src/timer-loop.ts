/** Runs `tick` again and again: at once while it finds work, otherwise after `idleMs`. */
export function startTimerLoop(tick: () => Promise<number>, idleMs: number, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const running = (async () => {
    while (!stopped) {
      let handled = 0;
      try {
        handled = await tick();
      } catch (error) {
        onError(error);
      }
      if (handled === 0 && !stopped) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, idleMs); });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
