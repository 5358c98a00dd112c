import type { DeadLetterRow } from '@taskrouter/runtime';
import { renderDetail, renderList } from './render';

const row = (overrides: Partial<DeadLetterRow> = {}): DeadLetterRow => ({
  id: '3', consumer: 'tr.workflow-evaluator', status: 'parked', topic: 'tr.events.tasks', partition: 4, offset: '120', sourceRef: 'tr.events.tasks/4/120',
  streamKey: 'task:WT1', streamSequence: '120', eventType: 'TaskCreated', value: '{"type":"TaskCreated"}', headers: { 'event-type': 'TaskCreated' },
  error: 'error: Unicode low surrogate\nmust follow a high surrogate', attempts: 5, firstFailedAt: new Date('2025-01-01T00:00:00Z'),
  lastFailedAt: new Date('2025-01-01T00:00:02Z'), parkedAt: new Date('2025-01-01T00:00:02Z'), retryRequestedAt: null, retries: 0, ...overrides,
});

describe('renderList', () => {
  it('says so when there is nothing', () => {
    expect(renderList([], [])).toBe('dead letters: none');
  });

  it('sums up per group and lists each letter on one line', () => {
    const text = renderList(
      [{ consumer: 'tr.workflow-evaluator', parked: 1, held: 1, markedForRetry: 2 }],
      [row(), row({ id: '4', status: 'held', offset: '121', error: null, attempts: 0, retryRequestedAt: new Date() })],
    );
    const lines = text.split('\n');

    expect(lines[0]).toBe('dead letters of tr.workflow-evaluator: 1 parked, 1 held, 2 marked for retry');
    expect(lines[2]).toMatch(/^id +group +status +stream +type +source +attempts +parked at +error$/);
    expect(lines[3]).toMatch(/^3 +tr\.workflow-evaluator +parked +task:WT1 +TaskCreated +tr\.events\.tasks\/4@120 +5 +2025-01-01T00:00:02\.000Z +error: Unicode low surrogate must follow/);
    expect(lines[4]).toMatch(/^4 .*held, retry .*held behind the dead letter before it$/);
  });

  it('names the relay’s letters by log position and destination', () => {
    const text = renderList([{ consumer: 'outbox-relay:tr.events', parked: 1, held: 0, markedForRetry: 0 }], [row({ consumer: 'outbox-relay:tr.events', partition: null, offset: null, sourceRef: 'log/88' })]);
    expect(text).toContain('log/88 (to tr.events.tasks)');
  });
});

describe('renderDetail', () => {
  it('shows the whole letter, bounding a large value', () => {
    const text = renderDetail(row({ value: 'x'.repeat(30_000) }));
    expect(text).toContain('dead letter 3 of tr.workflow-evaluator: parked');
    expect(text).toContain('stream:       task:WT1 at 120');
    expect(text).toContain('… (30000 characters)');
  });
});
