import type { StoredEvent } from './events';
import { UpcasterRegistry } from './upcasters';

const stored = (type: string, schemaVersion: number, data: Record<string, unknown>): StoredEvent => ({
  position: '1',
  transactionId: '1',
  streamId: 'task:1',
  streamVersion: 1,
  type,
  schemaVersion,
  data,
  metadata: {},
  recordedAt: '2024-01-01T00:00:00.000Z',
});

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    .register('TaskCreated', 1, (data) => ({ ...data, priority: 0 }))
    .register('TaskCreated', 2, ({ attrs, ...rest }) => ({ ...rest, attributes: attrs }));

  it('applies the chain from the stored version to the latest', () => {
    expect(registry.upcast(stored('TaskCreated', 1, { attrs: { a: 1 } }))).toMatchObject({
      schemaVersion: 3,
      data: { priority: 0, attributes: { a: 1 } },
    });
    expect(registry.upcast(stored('TaskCreated', 2, { attrs: {}, priority: 5 }))).toMatchObject({ schemaVersion: 3, data: { priority: 5, attributes: {} } });
  });

  it('leaves current shapes and other types alone, without mutating the input', () => {
    const old = stored('TaskCreated', 1, { attrs: {} });
    const other = stored('WorkerCreated', 1, { x: 1 });

    registry.upcast(old);

    expect(old.data).toEqual({ attrs: {} });
    expect(registry.upcast(other)).toBe(other);
  });

  it('refuses two upcasters for the same version', () => {
    expect(() => new UpcasterRegistry().register('A', 1, (d) => d).register('A', 1, (d) => d)).toThrow('already registered');
  });
});
