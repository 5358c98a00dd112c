#!/usr/bin/env node
// `node tools/stack/with-stack.js -- <command...>`: runs a command (the integration and e2e
// tests) with the stack's dependencies there. Checks Postgres and Redis, makes sure Kafka
// answers (KAFKA_BROKERS if set, else the local broker, started if needed), runs the command with
// KAFKA_BROKERS exported, exits with its code, and stops the broker afterwards only if it was
// started here (KEEP_KAFKA=1 keeps it). See docs/operations.md.
'use strict';

const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { resolveStackSettings } = require('./env');
const { checkPostgresAndRedis } = require('./deps');
const { ensureKafka, stopKafka } = require('./kafka');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const say = (line) => process.stderr.write(`with-stack: ${line}\n`);

function commandOf(argv) {
  const dashes = argv.indexOf('--');
  return dashes >= 0 ? argv.slice(dashes + 1) : argv;
}

async function main() {
  const command = commandOf(process.argv.slice(2));
  if (command.length === 0) {
    say('usage: node tools/stack/with-stack.js -- <command> [args...]');
    return 2;
  }
  const { settings, errors } = resolveStackSettings(process.env);
  // PORT/HOST are task-ingest's; a test run needs only the dependencies.
  const fatal = errors.filter((e) => !e.startsWith('PORT'));
  if (fatal.length > 0) {
    fatal.forEach((e) => say(`error: ${e}`));
    return 1;
  }
  try {
    await checkPostgresAndRedis(settings);
  } catch (error) {
    error.message.split('\n').forEach((e) => say(`error: ${e}`));
    return 1;
  }
  let interrupted;
  const onSignal = (signal) => {
    interrupted = interrupted || signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let kafka;
  let mayBeOurs = false;
  try {
    kafka = await ensureKafka({ repoRoot: REPO_ROOT, env: process.env, brokers: settings.kafkaBrokers, onStarting: () => (mayBeOurs = true) });
  } catch (error) {
    say(`error: ${error.message}`);
    if (mayBeOurs) await stopKafka({ repoRoot: REPO_ROOT, env: process.env });
    return 1;
  }
  const stopIfOurs = async () => {
    if (!kafka.startedHere) return;
    if (process.env.KEEP_KAFKA === '1') return say(`KEEP_KAFKA=1: the broker on ${kafka.brokers} is left running (npm run kafka -- stop ends it)`);
    say('stopping the Kafka broker started for this run');
    await stopKafka({ repoRoot: REPO_ROOT, env: process.env });
  };
  if (interrupted) {
    await stopIfOurs();
    return 130;
  }

  const result = await new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, KAFKA_BROKERS: kafka.brokers } });
    // A terminal Ctrl-C reaches the child by itself; a SIGTERM sent to us is passed on.
    process.removeListener('SIGTERM', onSignal);
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.once('error', (error) => {
      say(`error: cannot run '${command[0]}': ${error.code === 'ENOENT' ? 'command not found' : error.message}`);
      resolve({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  await stopIfOurs();
  if (result.signal) return 128 + (os.constants.signals[result.signal] || 1);
  return result.code === null ? 1 : result.code;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(`error: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);
