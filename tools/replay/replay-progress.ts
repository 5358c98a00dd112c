/**
 * The replay's progress on stderr: a bar against the log's size as estimated before the rebuild
 * began (events committed meanwhile are projected too, so it may end past 100%), with the rate.
 * Rewritten in place on a terminal; elsewhere (a log file, a test) one line per tenth of the way.
 */
export function replayProgress(estimatedTotal: number, write: (text: string) => void = (text) => void process.stderr.write(text), isTTY = !!process.stderr.isTTY) {
  let lastTenth = -1;
  return {
    report(events: number, elapsedMs: number): void {
      const fraction = estimatedTotal > 0 ? Math.min(1, events / estimatedTotal) : 1;
      const tenth = Math.floor(fraction * 10);
      if (!isTTY && tenth === lastTenth) return;
      lastTenth = tenth;
      write(`${isTTY ? '\r' : ''}${progressLine(events, estimatedTotal, elapsedMs)}${isTTY ? '' : '\n'}`);
    },
    end(): void {
      if (isTTY) write('\n');
    },
  };
}

export function progressLine(events: number, estimatedTotal: number, elapsedMs: number): string {
  const width = 30;
  const fraction = estimatedTotal > 0 ? Math.min(1, events / estimatedTotal) : 1;
  const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
  return `replay [${bar}] ${events.toLocaleString('en')} of ~${estimatedTotal.toLocaleString('en')} events, ${rate(events, elapsedMs).toLocaleString('en')} events/s`;
}

export const rate = (events: number, elapsedMs: number): number => Math.round((events / Math.max(elapsedMs, 1)) * 1000);
