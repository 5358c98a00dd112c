// Runs the services as child processes: prefixes their output, reports their exits, and stops
// them (SIGTERM, then SIGKILL after a grace period).
'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');
const { createLineSplitter, prefixLine } = require('./lines');
const { describeExit } = require('./readiness');

/** A write that never throws (a closed stdout, e.g. `npm start | head`, must not kill the stack). */
function safeWrite(stream, text) {
  try {
    stream.write(text);
  } catch {
    // ignored
  }
}
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

class Supervisor {
  /**
   * @param options.repoRoot    working directory of the services
   * @param options.env         their environment
   * @param options.width       width of the name column
   * @param options.onLine      (name, line) for every output line (readiness detection)
   * @param options.onExit      (name, code, signal) when a service ends
   */
  constructor({ repoRoot, env, width, onLine = () => undefined, onExit = () => undefined }) {
    this.repoRoot = repoRoot;
    this.env = env;
    this.width = width;
    this.onLine = onLine;
    this.onExit = onExit;
    this.children = new Map();
  }

  /** Starts apps/<name>/src/main.ts through the SWC register hook. */
  start(name) {
    const child = spawn(process.execPath, ['-r', './tools/register.js', path.join('apps', name, 'src', 'main.ts')], {
      cwd: this.repoRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => {
        safeWrite(process.stderr, `${prefixLine(name, this.width, `could not be started: ${error.message}`)}\n`);
        resolve({ code: 127, signal: null });
      });
    });
    const entry = { name, child, exited, done: false };
    this.children.set(name, entry);
    for (const [source, target] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      const splitter = createLineSplitter((line) => {
        safeWrite(target, `${prefixLine(name, this.width, line)}\n`);
        this.onLine(name, line);
      });
      source.on('data', (chunk) => splitter.push(chunk));
      source.on('end', () => splitter.flush());
    }
    exited.then(({ code, signal }) => {
      entry.done = true;
      this.onExit(name, code, signal);
    });
    return entry;
  }

  /** Names of the services still running. */
  get running() {
    return [...this.children.values()].filter((e) => !e.done).map((e) => e.name);
  }

  /**
   * SIGTERM to every running service, SIGKILL to those still running after graceMs; resolves
   * when all have exited. Prints one line per service.
   */
  async stopAll(graceMs = 15_000) {
    const entries = [...this.children.values()].filter((e) => !e.done);
    await Promise.all(
      entries.map(async (entry) => {
        const started = Date.now();
        try {
          entry.child.kill('SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          safeWrite(process.stderr, `${prefixLine(entry.name, this.width, `still running after ${graceMs / 1000} s: SIGKILL`)}\n`);
          try {
            entry.child.kill('SIGKILL');
          } catch {
            // already gone
          }
        }, graceMs);
        const { code, signal } = await entry.exited;
        clearTimeout(timer);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        safeWrite(process.stderr, `${prefixLine(entry.name, this.width, `stopped (${describeExit(code, signal)}) in ${seconds} s`)}\n`);
      }),
    );
  }
}

module.exports = { Supervisor, safeWrite };
