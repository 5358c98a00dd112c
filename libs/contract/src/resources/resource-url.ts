/** Absolute URLs as TaskRouter gives them, rooted at this server's public base URL. */
export function resourceUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/$/, '')}/v1/${path}`;
}

/** TaskRouter renders timestamps as ISO-8601 UTC to the second (`2014-05-14T14:26:54Z`). */
export function isoSeconds(value: string | null | undefined): string | null {
  if (!value) return null;
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
