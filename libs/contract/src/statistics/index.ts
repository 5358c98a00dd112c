export * from './statistics-window';
export * from './split-by-wait-time';
export * from './statistics-views';
export * from './bulk-queue-sids';
export * from '../resources/real-time-statistics-resource';
export * from '../resources/cumulative-statistics-resource';
export * from '../resources/statistics-resource';
