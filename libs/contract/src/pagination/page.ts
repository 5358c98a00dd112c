import { badRequest, ErrorCodes, TaskRouterError } from '../errors/taskrouter-error';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest { readonly page: number; readonly pageSize: number }

/** `PageSize` 1..1000 (above: Twilio's 20007), `Page` from 0; clients follow `next_page_url`. */
export function readPageRequest(query: Record<string, unknown>): PageRequest {
  const rawSize = query['PageSize'];
  const rawPage = query['Page'];
  const pageSize = rawSize === undefined ? DEFAULT_PAGE_SIZE : Number(rawSize);
  const page = rawPage === undefined ? 0 : Number(rawPage);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw badRequest(`PageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  if (pageSize > MAX_PAGE_SIZE) throw new TaskRouterError(400, ErrorCodes.pageSizeTooLarge, `Page size too large: the maximum page size is ${MAX_PAGE_SIZE}`);
  if (!Number.isInteger(page) || page < 0) throw badRequest('Page must be a non-negative integer');
  return { page, pageSize };
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
