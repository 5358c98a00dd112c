import { formatIpAddress, parseIpAddress, type IpAddress } from './ip-address';
import { allowsAddress, allowsHostName, type OutgoingUrlAllowList } from './outgoing-url-allow-list';
import { refusedRangeOf } from './refused-address-ranges';

/**
 * URLs this server calls (assignment callbacks, event callbacks) are bounded like browsers bound
 * them in practice: 2,048 characters (docs/limits.md).
 */
export const MAX_OUTGOING_URL_LENGTH = 2_048;

/** Where a checked URL goes: an address (already judged) or a name, to be judged again once resolved. */
export type OutgoingHost =
  | { readonly kind: 'address'; readonly address: IpAddress }
  | { readonly kind: 'name'; readonly name: string; readonly trusted: boolean };

export type OutgoingUrlCheck =
  | { readonly ok: true; readonly url: URL; readonly host: OutgoingHost }
  /** `reason` reads after the parameter's name: "AssignmentCallbackUrl must be an http or https URL". */
  | { readonly ok: false; readonly reason: string };

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NOT_ALLOWED = 'which this server does not call unless its operator allows it (OUTGOING_URL_ALLOW)';

/**
 * The policy for a URL this server will call, checked when it is saved and again before every
 * send (the allow-list may have changed, and old events may hold URLs saved before this policy):
 * http or https, no credentials, at most 2,048 characters, a host, and not an address outside the
 * public internet (loopback, link-local, private, CGNAT, multicast, reserved; any IPv4-mapped
 * form; `localhost` and `*.localhost` by name) unless the allow-list admits it. A host name is
 * judged by its addresses when it is resolved, just before the connection (checkResolvedAddresses).
 */
export function checkOutgoingUrl(raw: string, allowList: OutgoingUrlAllowList): OutgoingUrlCheck {
  const refuse = (reason: string): OutgoingUrlCheck => ({ ok: false, reason });
  if (raw.length > MAX_OUTGOING_URL_LENGTH) return refuse(`must be at most ${MAX_OUTGOING_URL_LENGTH} characters, got ${raw.length}`);
  if (CONTROL_OR_SPACE.test(raw) || LONE_SURROGATE.test(raw)) return refuse('must not contain spaces, control characters or lone surrogates');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(`must be an absolute http or https URL, got a ${url.protocol} URL`);
  if (url.username !== '' || url.password !== '') return refuse('must not carry credentials (user:password@host)');
  if (url.hostname === '') return refuse('has no host');
  // The parser has already turned decimal, octal and hex spellings (2852039166, 0x7f.1) into dotted quads.
  const address = parseIpAddress(url.hostname);
  if (address) {
    const why = refusedAddress(address, allowList);
    return why ? refuse(`points to ${why}, ${NOT_ALLOWED}`) : { ok: true, url, host: { kind: 'address', address } };
  }
  const name = url.hostname.replace(/\.+$/, '');
  const trusted = allowsHostName(allowList, name);
  if (!trusted && (name === 'localhost' || name.endsWith('.localhost'))) {
    return refuse(`points to ${name}, a loopback name, ${NOT_ALLOWED}`);
  }
  return { ok: true, url, host: { kind: 'name', name, trusted } };
}

/**
 * The resolver's answer for a name that is not trusted by the allow-list: refused (with the reason)
 * if any address is outside the public internet, since the connection might go to any of them.
 */
export function checkResolvedAddresses(name: string, addresses: readonly string[], allowList: OutgoingUrlAllowList): string | undefined {
  if (addresses.length === 0) return `${name} resolves to no address`;
  for (const text of addresses) {
    const address = parseIpAddress(text);
    if (!address) return `${name} resolves to '${text}', which is not an IP address`;
    const why = refusedAddress(address, allowList);
    if (why) return `${name} resolves to ${why}, ${NOT_ALLOWED}`;
  }
  return undefined;
}

/** "127.0.0.1, a loopback address (127.0.0.0/8)", or undefined when the address may be called. */
function refusedAddress(address: IpAddress, allowList: OutgoingUrlAllowList): string | undefined {
  const range = refusedRangeOf(address);
  if (!range || allowsAddress(allowList, address)) return undefined;
  return `${formatIpAddress(address)}, ${range.what} (${range.cidr})`;
}
