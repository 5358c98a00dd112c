/** How many waiting tasks of each of its queues a worker with free capacity is offered at a time. */
export const WAITING_TASKS_PER_QUEUE = 200;
