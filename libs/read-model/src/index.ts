export * from './read-model-migrations';
export * from './read-model-projector';
export * from './read-model-queries';
export * from './read-model-rebuild';
export * from './statistics/statistics-queries';
export * from './event-queries';
export { eventsProjection } from './projection/events-projection';
