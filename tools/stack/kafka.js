// The Kafka broker of the stack: the one named by KAFKA_BROKERS, else the local one of
// tools/kafka/kafka-local.sh (reused when it already answers, started otherwise).
'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');
const { parseKafkaBrokers } = require('./env');

/** Runs kafka-local.sh <command>; stdout captured, stderr passed through unless quiet. */
// start and stop run in their own process group: a Ctrl-C in the terminal reaches only our
// process, which then finishes or undoes them in order instead of leaving a half-started broker.
function kafkaLocal(repoRoot, command, env, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(repoRoot, 'tools', 'kafka', 'kafka-local.sh'), command], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'],
      detached: command !== 'status',
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.once('error', (error) => resolve({ code: 127, signal: null, stdout, error }));
    child.once('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

function withoutBrokers(env) {
  const copy = { ...env };
  delete copy.KAFKA_BROKERS;
  return copy;
}

/**
 * Returns { brokers, startedHere }. startedHere is true only when no broker answered before and
 * this call started one: only then may the caller stop it. onStarting() is called just before a
 * start, so a caller interrupted meanwhile knows a broker may be coming up on its behalf.
 */
async function ensureKafka({ repoRoot, env, brokers, onStarting = () => undefined }) {
  if (brokers) {
    // Someone else's cluster: kafka-local.sh only checks that it answers, and starts nothing.
    const result = await kafkaLocal(repoRoot, 'start', { ...env, KAFKA_BROKERS: brokers });
    if (result.code !== 0) throw new Error(`Kafka does not answer at ${brokers} (KAFKA_BROKERS). Start it, or unset KAFKA_BROKERS to use a local broker.`);
    return { brokers, startedHere: false };
  }
  const local = withoutBrokers(env);
  const status = await kafkaLocal(repoRoot, 'status', local, { quiet: true });
  const running = status.code === 0 && parseKafkaBrokers(status.stdout);
  if (running) {
    process.stderr.write(`kafka: reusing the broker that already answers on ${running} (it is left running)\n`);
    return { brokers: running, startedHere: false };
  }
  onStarting();
  const result = await kafkaLocal(repoRoot, 'start', local);
  const started = result.code === 0 && parseKafkaBrokers(result.stdout);
  if (!started) {
    throw new Error(
      `the local Kafka broker could not be started (tools/kafka/kafka-local.sh start ${result.signal ? `was killed by ${result.signal}` : `exited with ${result.code}`}; see its messages above and docs/operations-kafka.md). Or set KAFKA_BROKERS to a running cluster.`,
    );
  }
  return { brokers: started, startedHere: true };
}

/** Stops the local broker (kafka-local.sh stop only ever stops the broker it started). */
async function stopKafka({ repoRoot, env }) {
  const result = await kafkaLocal(repoRoot, 'stop', withoutBrokers(env));
  return result.code === 0;
}

module.exports = { ensureKafka, stopKafka, kafkaLocal };
