export * from './test-infrastructure';
export * from './service-processes';
export * from './taskrouter-client';
export * from './clean-up';
