/** Stream ids name the aggregate and its SID, so a stream id alone says what it holds. */
export const streamIds = {
  workspace: (sid: string) => `workspace:${sid}`,
  taskQueue: (sid: string) => `queue:${sid}`,
  workflow: (sid: string) => `workflow:${sid}`,
  worker: (sid: string) => `worker:${sid}`,
  task: (sid: string) => `task:${sid}`,
} as const;

export type AggregateKind = keyof typeof streamIds;

export function aggregateOf(streamId: string): { kind: string; sid: string } {
  const colon = streamId.indexOf(':');
  return { kind: streamId.slice(0, colon), sid: streamId.slice(colon + 1) };
}
