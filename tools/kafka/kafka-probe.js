#!/usr/bin/env node
// Asks a Kafka cluster whether it is ready, instead of guessing from a log line or a sleep.
//
//   node kafka-probe.js --brokers 127.0.0.1:9092 [--timeout-seconds 90] [--probe-topic]
//                       [--pid <broker pid>]
//
// Ready means: the cluster answers DescribeCluster (metadata served by a registered broker) and,
// with --probe-topic, a one-partition topic can be created and has a leader (the controller is
// up and assigns partitions). --timeout-seconds 0 makes a single attempt (for `status`).
// With --pid, the wait ends early with an error when that process has died.
// Exit 0 when ready; 1 with the last error on stderr otherwise.
'use strict';

const { Kafka, logLevel } = require('kafkajs');

const PROBE_TOPIC = '__open_taskrouter_probe';

function parseArguments(argv) {
  const options = { brokers: [], timeoutSeconds: 0, probeTopic: false, pid: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    if (name === '--brokers') options.brokers = argv[++i].split(',').map((b) => b.trim()).filter(Boolean);
    else if (name === '--timeout-seconds') options.timeoutSeconds = Number(argv[++i]);
    else if (name === '--probe-topic') options.probeTopic = true;
    else if (name === '--pid') options.pid = Number(argv[++i]);
    else throw new Error(`unknown argument ${name}`);
  }
  if (options.brokers.length === 0) throw new Error('--brokers is required');
  if (!Number.isFinite(options.timeoutSeconds) || options.timeoutSeconds < 0) throw new Error('--timeout-seconds must be >= 0');
  return options;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function askOnce(kafka, probeTopic) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster reports no brokers yet');
    if (probeTopic) {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: PROBE_TOPIC, numPartitions: 1, replicationFactor: 1 }] });
      const { topics } = await admin.fetchTopicMetadata({ topics: [PROBE_TOPIC] });
      const leaderless = topics[0].partitions.filter((p) => p.leader < 0);
      if (leaderless.length > 0) throw new Error(`probe topic ${PROBE_TOPIC} has no leader yet`);
    }
    return cluster;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const kafka = new Kafka({
    clientId: 'kafka-local-probe',
    brokers: options.brokers,
    // Short timeouts and no retries: this loop is the retry, and a dead port must fail fast.
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    // The broker logs "coordinator loading" style errors while it starts; they are expected here.
    logLevel: logLevel.NOTHING,
  });
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let lastError;
  for (;;) {
    try {
      const cluster = await askOnce(kafka, options.probeTopic);
      process.stderr.write(`kafka ready: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), controller ${cluster.controller}\n`);
      return 0;
    } catch (error) {
      lastError = error;
    }
    if (options.pid !== undefined && !isAlive(options.pid)) {
      process.stderr.write(`the broker process ${options.pid} exited before it became ready (last answer: ${describe(lastError)})\n`);
      return 1;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  process.stderr.write(`no ready Kafka at ${options.brokers.join(',')}: ${describe(lastError)}\n`);
  return 1;
}

function describe(error) {
  if (!error) return 'no answer';
  return error.message || String(error);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`kafka-probe: ${describe(error)}\n`);
    process.exit(2);
  },
);
