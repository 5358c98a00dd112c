/**
 * Every fact the system records. `schemaVersion` is stored with the event: a stored event
 * never changes shape in place; a new version comes with an upcaster for the old one.
 */
export interface DomainEvent<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
}

export function event<Type extends string, Data extends object>(type: Type, data: Data, schemaVersion = 1): DomainEvent<Type, Data> {
  return { type, data, schemaVersion };
}
