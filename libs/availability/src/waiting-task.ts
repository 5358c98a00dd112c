/** A task waiting in a TaskQueue for a worker. */
export interface WaitingTask {
  taskSid: string;
  /** TaskRouter priority: an integer from 0 to 2^31 - 1, higher first. */
  priority: number;
  /** Epoch ms when the task entered the queue; older first among equal priorities. */
  enteredAt: number;
  /** TaskChannel unique name. */
  channel: string;
}
