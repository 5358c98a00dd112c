export { deadLetterMigrations } from './dead-letter-migrations';
export { PostgresDeadLetterStore } from './postgres-dead-letter-store';
export { DeadLetterAdmin, type DeadLetterSelection, type DeadLetterSummary } from './dead-letter-admin';
export type { DeadLetterRow } from './dead-letter-rows';
export { isTransientServiceFailure } from './service-failures';
