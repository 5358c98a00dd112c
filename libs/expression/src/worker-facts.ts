// Builds WorkerFacts from one flat JSON document, the shape the conformance cases and the
// CLI use: `sid`, `friendly_name`, `activity_sid`, `activity_name` (strings) are the
// worker's own fields, an object under `channel` is its per-channel state, and every other
// key is an attribute.
import { WORKER_FIELDS, type WorkerFacts } from './context';

export function workerFactsFromFlatDocument(document: Record<string, unknown>): WorkerFacts {
  const attributes: Record<string, unknown> = {};
  const facts: WorkerFacts = { attributes };
  for (const [name, value] of Object.entries(document)) {
    if ((WORKER_FIELDS as readonly string[]).includes(name) && typeof value === 'string') {
      (facts as unknown as Record<string, unknown>)[name] = value;
    } else if (name === 'channel' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      facts.channels = value as Record<string, Record<string, unknown>>;
    } else {
      attributes[name] = value;
    }
  }
  return facts;
}
