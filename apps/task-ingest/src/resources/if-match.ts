import { versionMismatch } from '@taskrouter/contract';

/** TaskRouter's optimistic concurrency: with If-Match, the update applies only to that version. */
export function checkIfMatch(ifMatch: string | undefined, currentVersion: number): void {
  if (ifMatch === undefined || ifMatch === '' || ifMatch === '*') return;
  const wanted = ifMatch.replace(/^W\//, '').replace(/"/g, '').trim();
  if (wanted !== String(currentVersion)) throw versionMismatch(currentVersion);
}

/** Our ETag is the aggregate's stream version. */
export const etagOf = (version: number): string => `"${version}"`;
