export * from './decision-batch';
export * from './decide-batch';
export * from './batch-decider';
export * from './group-commit';
