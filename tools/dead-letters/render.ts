import type { DeadLetterRow, DeadLetterSummary } from '@taskrouter/runtime';

const ERROR_WIDTH = 100;
const VALUE_LIMIT = 20_000;

/** The summary line per consumer, then one line per letter, in stream order. */
export function renderList(summary: readonly DeadLetterSummary[], rows: readonly DeadLetterRow[]): string {
  if (summary.length === 0) return 'dead letters: none';
  const lines = summary.map((s) => `dead letters of ${s.consumer}: ${s.parked} parked, ${s.held} held${s.markedForRetry > 0 ? `, ${s.markedForRetry} marked for retry` : ''}`);
  if (rows.length === 0) return [...lines, '(none match)'].join('\n');
  const table = [['id', 'group', 'status', 'stream', 'type', 'source', 'attempts', 'parked at', 'error'], ...rows.map(cells)];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  lines.push('', ...table.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd()));
  return lines.join('\n');
}

/** Everything about one letter, its value included (bounded). */
export function renderDetail(row: DeadLetterRow): string {
  const value = row.value === null ? '(null)' : row.value.length > VALUE_LIMIT ? `${row.value.slice(0, VALUE_LIMIT)}… (${row.value.length} characters)` : row.value;
  return [
    `dead letter ${row.id} of ${row.consumer}: ${row.status}${row.retryRequestedAt ? ` (marked for retry at ${row.retryRequestedAt.toISOString()})` : ''}`,
    `  stream:       ${row.streamKey ?? '(no key)'} at ${row.streamSequence}`,
    `  event type:   ${row.eventType ?? '(none)'}`,
    `  source:       ${source(row)}`,
    `  attempts:     ${row.attempts}${row.retries > 0 ? ` (${row.retries} retries by an operator)` : ''}`,
    `  first failed: ${row.firstFailedAt?.toISOString() ?? '-'}, last failed: ${row.lastFailedAt?.toISOString() ?? '-'}, parked at ${row.parkedAt.toISOString()}`,
    `  error:        ${row.error ?? `(held behind an earlier dead letter of ${row.streamKey})`}`,
    `  headers:      ${JSON.stringify(row.headers)}`,
    `  value:        ${value}`,
  ].join('\n');
}

function cells(row: DeadLetterRow): string[] {
  const error = row.error === null ? 'held behind the dead letter before it' : oneLine(row.error);
  return [
    row.id, row.consumer, row.retryRequestedAt ? `${row.status}, retry` : row.status, row.streamKey ?? '(no key)', row.eventType ?? '-',
    source(row), String(row.attempts), row.parkedAt.toISOString(), error.length > ERROR_WIDTH ? `${error.slice(0, ERROR_WIDTH - 1)}…` : error,
  ];
}

function source(row: DeadLetterRow): string {
  return row.partition === null ? `${row.sourceRef} (to ${row.topic})` : `${row.topic}/${row.partition}@${row.offset}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
