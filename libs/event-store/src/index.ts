export type { NewEvent, StoredEvent, ExpectedVersion, StreamAppend, GlobalCheckpoint } from './events';
export { WrongExpectedVersionError, StreamOrderConflictError, NestedTransactionError } from './errors';
export { PostgresEventStore, type PostgresEventStoreOptions, type Transaction, type Projector } from './postgres-event-store';
export { UpcasterRegistry, type Upcaster } from './upcasters';
export { compareCheckpoints } from './checkpoint-order';
export type { Lease } from './session-lease';
export { migrations, type Migration } from './migrations';
export { migrateSchema } from './migrator';
export { prepared } from './prepared-statement';
