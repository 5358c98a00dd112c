export * from './taskrouter-event';
export * from './subject-facts';
export * from './event-sid';
export * from './stream-of-event';
export * from './taskrouter-events-of';
export * from './assemble-event';
export * from './public-event-data';
export * from './describe-event';
