import { FormReader, readPageRequest, renderPage, type FormValues, type PageRequest } from '@taskrouter/contract';
import type { Request } from 'express';

export type ApiRequest = Request & { accountSid?: string };

/**
 * The configured public base URL (`PUBLIC_URL`, else the listener's address; main.ts sets it),
 * never the request's `Host` header: a client must not choose the host our links point to.
 */
export function baseUrlOf(request: Request): string {
  const publicUrl: unknown = request.app.locals['publicUrl'];
  if (typeof publicUrl !== 'string') throw new Error('the public base URL is not configured (installEdge sets it)');
  return publicUrl;
}

export function formOf(request: Request): FormReader {
  return new FormReader((request.body ?? {}) as FormValues);
}

export function queryOf(request: Request): FormReader {
  return new FormReader(request.query as FormValues);
}

/** Fetches one page (plus one row to know whether a next page exists) and renders it. */
export async function listPage<V>(
  request: Request,
  key: string,
  fetch: (slice: { offset: number; limit: number }) => Promise<V[]>,
  render: (view: V) => unknown,
  filters: Record<string, string | undefined> = {},
) {
  const page: PageRequest = readPageRequest(request.query as Record<string, unknown>);
  const views = await fetch({ offset: page.page * page.pageSize, limit: page.pageSize + 1 });
  const listUrl = `${baseUrlOf(request)}${request.path}`;
  return renderPage(key, views.map(render), page, listUrl, filters);
}

/** The account the Basic-auth guard authenticated; every controller route runs behind that guard. */
export function accountOf(request: ApiRequest): string {
  if (!request.accountSid) throw new Error('accountOf called on a request the BasicAuthGuard did not authenticate');
  return request.accountSid;
}
