export * from './availability-index';
export * from './availability-keys';
export * from './waiting-task';
export * from './waiting-task-order';
export * from './worker-availability';
export * from './worker-openings';
