import { ConfigError } from './config-error';

/**
 * The base URL clients reach the API at (`PUBLIC_URL`), from which every `url` and `links`
 * field and every paging link is built; the request's `Host` header is never used, so a
 * client cannot make the API hand out links to a host of its choosing. Unset or empty, it is
 * the listener's own address. It must be an absolute http(s) URL without credentials, query
 * or fragment; a path (behind a proxy that strips it) is kept, without a trailing slash.
 */
export function readPublicUrl(env: NodeJS.ProcessEnv, listener: { host: string; port: number }): string {
  const raw = env['PUBLIC_URL']?.trim();
  if (raw === undefined || raw === '') return `http://${listener.host.includes(':') ? `[${listener.host}]` : listener.host}:${listener.port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL is not a URL: '${raw}' (expected e.g. https://taskrouter.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`PUBLIC_URL must start with http:// or https://, got '${raw}'`);
  if (url.username !== '' || url.password !== '') throw new ConfigError('PUBLIC_URL must not hold credentials');
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError(`PUBLIC_URL must not have a query or a fragment, got '${raw}'`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
