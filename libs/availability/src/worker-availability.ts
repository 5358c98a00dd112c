/** Per-TaskChannel state of one worker, as the index holds it. */
export interface ChannelAvailability {
  capacity: number;
  assigned: number;
  /** The worker's channel is switched on (TaskRouter's worker channel `available`). */
  available: boolean;
}

/** What the availability index knows about one worker: a projection of the worker's event stream. */
export interface WorkerAvailability {
  workspaceSid: string;
  workerSid: string;
  /** The worker's activity is an available one. */
  available: boolean;
  /** Epoch ms when the worker last became idle; the longest idle worker has the smallest value. */
  idleSince: number;
  /** Per TaskChannel unique name. */
  channels: Record<string, ChannelAvailability>;
  /** TaskQueue SIDs whose target_workers expression the worker matches. */
  queues: string[];
  /** The worker stream version this reflects; an older version never overwrites it. */
  version: number;
}

/** A worker the index proposes for a task: available, in the queue, with free capacity on the channel. */
export interface WorkerCandidate {
  workerSid: string;
  idleSince: number;
  freeCapacity: number;
}
