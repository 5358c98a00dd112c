#!/usr/bin/env node
// `npm start`: brings up what is missing (a local Kafka broker unless KAFKA_BROKERS is set),
// checks Postgres and Redis, runs the four services as child processes with their output
// prefixed, prints where the API is once all are ready, and stops everything it started on
// Ctrl-C / SIGTERM. See docs/operations.md. Plain CommonJS: runs before anything is built.
'use strict';

const path = require('node:path');
const { resolveStackSettings, serviceEnvironment, outgoingUrlNotice, apiBaseUrl, exampleCredentials, readyBanner } = require('./env');
const { SERVICES, Readiness, describeExit } = require('./readiness');
const { Supervisor, safeWrite } = require('./supervisor');
const { checkPostgresAndRedis, portProblem } = require('./deps');
const { ensureKafka, stopKafka } = require('./kafka');
const { untilHealthy } = require('./health');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const STOP_GRACE_MS = 15_000;
const READY_TIMEOUT_S = Number(process.env.STACK_READY_TIMEOUT || 120);
const WIDTH = Math.max(...SERVICES.map((s) => s.length));

const say = (line) => safeWrite(process.stderr, `npm start: ${line}\n`);

const state = {
  phase: 'starting', // starting | running | stopping
  kafkaMayBeOurs: false, // a start of the local broker was begun by us
  kafkaStartedHere: false,
  kafkaStep: undefined, // the ensureKafka promise while it runs
  supervisor: undefined,
  stopPromise: undefined,
};

/** Stops the services, then the broker if we started it, then exits. Runs once. */
function shutdown(exitCode, why) {
  if (state.stopPromise) return state.stopPromise;
  state.phase = 'stopping';
  if (why) say(why);
  state.stopPromise = (async () => {
    // A broker start in progress is finished first (it runs in its own process group), then undone.
    if (state.kafkaStep) await state.kafkaStep.catch(() => undefined);
    if (state.supervisor && state.supervisor.running.length > 0) {
      say(`stopping ${state.supervisor.running.join(', ')} (SIGTERM, SIGKILL after ${STOP_GRACE_MS / 1000} s)`);
      await state.supervisor.stopAll(STOP_GRACE_MS);
    }
    if (state.kafkaStartedHere || state.kafkaMayBeOurs) {
      say('stopping the Kafka broker started by npm start');
      await stopKafka({ repoRoot: REPO_ROOT, env: process.env });
    }
    if (exitCode === 0) say("stopped");
    process.exit(exitCode);
  })();
  return state.stopPromise;
}

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) return say(`${signal} again: already stopping, please wait`);
    // Started-but-not-yet-ready: wait for the start step in progress, then undo it (main() checks).
    void shutdown(0, `${signal} received`);
  });
}

function fail(message) {
  for (const line of String(message).split('\n')) say(`error: ${line}`);
  return shutdown(1);
}

async function main() {
  const started = Date.now();
  const { settings, errors } = resolveStackSettings(process.env);
  if (errors.length > 0) return fail(errors.join('\n'));

  // A second `npm start` (or anything else) on the API port: say so before starting anything.
  const problem = await portProblem(settings.host, settings.port);
  if (problem) {
    const hint =
      problem === 'EADDRINUSE'
        ? `is already in use: is another 'npm start' running? (find it with: ss -ltnp 'sport = :${settings.port}'). Stop it, or set PORT to another port.`
        : `cannot be listened on (${problem}): check HOST and PORT.`;
    return fail(`${settings.host}:${settings.port} (HOST:PORT) ${hint}`);
  }
  if (state.phase !== 'starting') return undefined;

  try {
    await checkPostgresAndRedis(settings);
  } catch (error) {
    return fail(error.message);
  }
  if (state.phase !== 'starting') return undefined;

  let kafka;
  try {
    state.kafkaStep = ensureKafka({
      repoRoot: REPO_ROOT,
      env: process.env,
      brokers: settings.kafkaBrokers,
      onStarting: () => {
        state.kafkaMayBeOurs = true;
      },
    });
    kafka = await state.kafkaStep;
    state.kafkaStartedHere = kafka.startedHere;
    if (!kafka.startedHere) state.kafkaMayBeOurs = false;
  } catch (error) {
    if (state.phase !== 'starting') return undefined;
    return fail(error.message);
  }
  if (state.phase !== 'starting') return undefined;

  const readiness = new Readiness();
  let announce;
  const allReady = new Promise((resolve) => {
    announce = resolve;
  });
  // A service is ready once it printed its ready line and, when it printed its operations address, its /health/ready is 200.
  const healthy = new Set();
  const pendingHealth = () => readiness.pending.concat(SERVICES.filter((name) => !readiness.pending.includes(name) && !healthy.has(name)));
  const becameReady = async (name) => {
    const operationsUrl = readiness.operationsUrl(name);
    if (operationsUrl && !(await untilHealthy(operationsUrl, () => state.phase === 'starting'))) return;
    healthy.add(name);
    if (readiness.allReady && healthy.size === SERVICES.length) announce();
  };
  state.supervisor = new Supervisor({
    repoRoot: REPO_ROOT,
    env: serviceEnvironment(process.env, settings, kafka.brokers),
    width: WIDTH,
    onLine: (name, line) => {
      if (readiness.observe(name, line)) void becameReady(name);
    },
    onExit: (name, code, signal) => {
      if (state.phase === 'stopping') return;
      // A terminal Ctrl-C reaches the services too: give our own SIGINT handler a moment to run first.
      setTimeout(() => {
        if (state.phase === 'stopping') return;
        void fail(`${name} ${describeExit(code, signal)} unexpectedly; stopping everything`);
      }, 200);
    },
  });
  say(`starting ${SERVICES.join(', ')} (Kafka ${kafka.brokers})`);
  const notice = outgoingUrlNotice(process.env);
  if (notice) say(notice);
  for (const name of SERVICES) state.supervisor.start(name);

  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_S * 1000);
  });
  const outcome = await Promise.race([allReady, timedOut]);
  clearTimeout(timer);
  if (state.phase !== 'starting') return undefined;
  if (outcome === 'timeout') {
    return fail(`not ready after ${READY_TIMEOUT_S} s (STACK_READY_TIMEOUT): still waiting for ${pendingHealth().join(', ')}`);
  }
  state.phase = 'running';
  const lines = readyBanner({
    apiUrl: apiBaseUrl(settings.host, settings.port),
    credentials: exampleCredentials(process.env),
    kafkaBrokers: kafka.brokers,
    kafkaStartedHere: kafka.startedHere,
    settings,
    seconds: (Date.now() - started) / 1000,
  });
  safeWrite(process.stdout, `${lines.join('\n')}\n`);
  return undefined;
}

main().catch((error) => fail(error && error.stack ? error.stack : String(error)));
