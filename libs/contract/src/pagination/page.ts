import { badRequest, ErrorCodes, TaskRouterError } from '../errors/taskrouter-error';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
/** Past any list we keep (500,000 tasks at one a page); keeps `Page * PageSize` a small exact integer. */
export const MAX_PAGE = 1_000_000;

export interface PageRequest { readonly page: number; readonly pageSize: number }

/**
 * `PageSize` 1..1000 (above: Twilio's 20007), `Page` 0..MAX_PAGE; clients follow `next_page_url`.
 * Both are plain decimal digits: `1e3`, `0x10`, `-1` or ` 5` are refused, not read by `Number`.
 * `PageToken` (TaskRouter's cursor) is accepted and ignored: our page links carry `Page`.
 */
export function readPageRequest(query: Record<string, unknown>): PageRequest {
  const rawSize = lastValue(query['PageSize']);
  const rawPage = lastValue(query['Page']);
  const pageSize = rawSize === undefined ? DEFAULT_PAGE_SIZE : digits(rawSize);
  const page = rawPage === undefined ? 0 : digits(rawPage);
  if (pageSize === undefined || pageSize < 1) throw badRequest(`PageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  if (pageSize > MAX_PAGE_SIZE) throw new TaskRouterError(400, ErrorCodes.pageSizeTooLarge, `Page size too large: the maximum page size is ${MAX_PAGE_SIZE}`);
  if (page === undefined || page > MAX_PAGE) throw badRequest(`Page must be an integer from 0 to ${MAX_PAGE}`);
  return { page, pageSize };
}

/** A repeated parameter counts by its last value, and an empty one is absent, as for every other integer. */
function lastValue(raw: unknown): unknown {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === '' ? undefined : value;
}

function digits(raw: unknown): number | undefined {
  return typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * TaskRouter's list body: the items under `key` and a `meta` block whose URLs echo the
 * filters. `items` holds up to pageSize + 1 rows: the extra one only says a next page exists.
 */
export function renderPage<T>(key: string, items: readonly T[], request: PageRequest, listUrl: string, filters: Record<string, string | undefined>) {
  const hasNext = items.length > request.pageSize;
  const pageUrl = (page: number) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (value !== undefined) params.set(name, value);
    params.set('PageSize', String(request.pageSize));
    params.set('Page', String(page));
    return `${listUrl}?${params.toString()}`;
  };
  return {
    [key]: items.slice(0, request.pageSize),
    meta: {
      first_page_url: pageUrl(0), key, next_page_url: hasNext ? pageUrl(request.page + 1) : null, page: request.page,
      page_size: request.pageSize, previous_page_url: request.page > 0 ? pageUrl(request.page - 1) : null, url: pageUrl(request.page),
    },
  };
}
