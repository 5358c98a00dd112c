// Pure: which service has printed its ready line. Each service prints one line when it is ready
// (apps/*/src/main.ts): task-ingest on stdout, the three consumers on stderr. Before that, each
// prints where its operations endpoints are (`<service>: operations on http://host:port`): start.js
// then waits for its /health/ready too (health.js).
'use strict';

const SERVICES = Object.freeze(['task-ingest', 'workflow-evaluator', 'queue-matcher', 'reservation-timer']);

const READY_LINES = Object.freeze({
  'task-ingest': /^task-ingest: TaskRouter API listening on (\S+)/,
  'workflow-evaluator': /^workflow-evaluator: consuming task events/,
  'queue-matcher': /^queue-matcher: consuming task and worker events/,
  'reservation-timer': /^reservation-timer: scheduling and firing deadlines/,
});

const OPERATIONS_LINE = /^(\S+): operations on (http:\/\/\S+)/;

class Readiness {
  constructor(names = SERVICES, patterns = READY_LINES) {
    this.patterns = patterns;
    this.ready = new Map(names.map((name) => [name, false]));
    this.operations = new Map();
    this.apiUrl = undefined;
  }

  /** Looks at one output line of a service; true when it made that service ready just now. */
  observe(name, line) {
    const operations = OPERATIONS_LINE.exec(line);
    if (operations && operations[1] === name) this.operations.set(name, operations[2]);
    if (this.ready.get(name) !== false) return false;
    const match = this.patterns[name] && this.patterns[name].exec(line);
    if (!match) return false;
    this.ready.set(name, true);
    if (name === 'task-ingest') this.apiUrl = match[1];
    return true;
  }

  /** Where the service's /health/ready is, once it printed it (undefined: a service without, or not yet). */
  operationsUrl(name) {
    return this.operations.get(name);
  }

  get allReady() {
    return [...this.ready.values()].every(Boolean);
  }

  /** Names of the services not ready yet, in start order. */
  get pending() {
    return [...this.ready].filter(([, ready]) => !ready).map(([name]) => name);
  }
}

/** How a child's end reads in a message. */
function describeExit(code, signal) {
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}

module.exports = { SERVICES, READY_LINES, Readiness, describeExit };
