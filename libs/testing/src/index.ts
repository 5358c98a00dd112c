export * from './test-infrastructure';
export * from './service-processes';
export * from './taskrouter-client';
export * from './clean-up';
export * from './scratch-postgres';
export * from './collector';
export * from './realistic-event-log';
export * from './prometheus-samples';
