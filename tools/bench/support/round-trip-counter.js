// Counts a service's round trips to Postgres (by statement), Kafka (by request) and Redis (by command),
// so a benchmark can say which hop pays for what per task. Preload it into the services:
//
//   BENCH_NODE_ARGS="-r ./tools/bench/support/round-trip-counter.js" ROUND_TRIPS_DIR=/tmp/rt npm run bench:steady-loop -- ...
//
// Each process writes <dir>/<service>-<pid>.txt (counts, highest first) every 2 s and at exit.
// ROUND_TRIPS_CALLERS=1 adds, for each stream read, the first application frames that asked for it.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '../../..');
const dir = process.env.ROUND_TRIPS_DIR || '/tmp/round-trips';
const counts = new Map();
const bump = (key) => counts.set(key, (counts.get(key) || 0) + 1);
const oneLine = (text) => String(text).replace(/\s+/g, ' ').replace(/"[a-z0-9_]+"\./g, '').slice(0, 80);

const pg = require(path.join(root, 'node_modules/pg'));
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  bump(`pg    ${oneLine(typeof config === 'string' ? config : config && (config.text || config.name))}`);
  return query.call(this, config, ...rest);
};

const Connection = require(path.join(root, 'node_modules/kafkajs/src/network/connection'));
const send = Connection.prototype.send;
Connection.prototype.send = function countedSend(args) {
  bump(`kafka ${args.request && args.request.apiName}`);
  return send.call(this, args);
};

const Redis = require(path.join(root, 'node_modules/ioredis'));
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function countedCommand(command, ...rest) {
  bump(`redis ${command.name}`);
  return sendCommand.call(this, command, ...rest);
};

function callers() {
  return new Error().stack.split('\n').slice(3)
    .filter((line) => line.includes(root) && !line.includes('node_modules') && !line.includes('aggregate-store') && !line.includes('event-store') && !line.includes('stream-reads'))
    .slice(0, 3).map((line) => line.trim().replace(/^at /, '').replace(root + '/', '')).join(' < ');
}

if (process.env.ROUND_TRIPS_CALLERS) {
  Error.stackTraceLimit = 60;
  // The stores are loaded through the TypeScript hook after this file: patch them once they are there.
  const targets = [['postgres-event-store.ts', 'PostgresEventStore', 'readStream'], ['stream-reads.ts', 'StreamReads', 'read']];
  const patch = setInterval(() => {
    for (const [file, exported, method] of targets.splice(0)) {
      const loaded = Object.entries(require.cache).find(([name]) => name.endsWith(file));
      if (!loaded) {
        targets.push([file, exported, method]);
        continue;
      }
      const prototype = loaded[1].exports[exported].prototype;
      const original = prototype[method];
      prototype[method] = function countedRead(streamId, ...rest) {
        bump(`read  ${String(streamId).replace(/:.*/, '')} <= ${callers()}`);
        return original.call(this, streamId, ...rest);
      };
    }
    if (targets.length === 0) clearInterval(patch);
  }, 200);
  patch.unref();
}

const service = (process.argv.find((arg) => arg.includes('/apps/')) || process.argv[1] || 'node').replace(/.*apps\//, '').replace(/\/.*/, '');
function write() {
  fs.mkdirSync(dir, { recursive: true });
  const lines = [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${String(n).padStart(8)} ${key}`);
  fs.writeFileSync(path.join(dir, `${service}-${process.pid}.txt`), lines.join('\n') + '\n');
}
process.on('exit', write);
setInterval(write, 2000).unref();
