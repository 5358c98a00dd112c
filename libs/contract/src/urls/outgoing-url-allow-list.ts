import { cidrContains, parseCidr, type Cidr, type IpAddress } from './ip-address';
import { embeddedIpv4 } from './refused-address-ranges';

/**
 * What the operator lets outgoing requests reach beyond the public internet (OUTGOING_URL_ALLOW):
 * address ranges, and host names that are trusted whatever they resolve to.
 */
export interface OutgoingUrlAllowList {
  readonly cidrs: readonly Cidr[];
  /** Exact host names, lower case, without a trailing dot. */
  readonly hosts: readonly string[];
  /** From `*.example.com` entries: `.example.com`, matching any name below it (not the name itself). */
  readonly hostSuffixes: readonly string[];
}

export const EMPTY_ALLOW_LIST: OutgoingUrlAllowList = { cidrs: [], hosts: [], hostSuffixes: [] };

/** What `npm start` and the test harness allow: the machine itself, by address and by name. */
export const LOOPBACK_ALLOW_LIST_TEXT = '127.0.0.0/8,::1,localhost,*.localhost';

/**
 * Reads a comma-separated list of CIDRs (`10.1.0.0/16`, `fd00::/8`), single addresses and host
 * names (`hooks.internal`, `*.corp.example`). Blank entries are ignored. Returns the first entry
 * that is none of these, so the caller can name it in its own error.
 */
export function parseOutgoingUrlAllowList(text: string): { allowList: OutgoingUrlAllowList } | { invalidEntry: string } {
  const cidrs: Cidr[] = [];
  const hosts: string[] = [];
  const hostSuffixes: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const cidr = parseCidr(entry);
    if (cidr) {
      cidrs.push(cidr);
      continue;
    }
    const wildcard = entry.startsWith('*.');
    const name = normalizeHostName(wildcard ? entry.slice(2) : entry);
    if (name === undefined) return { invalidEntry: entry };
    if (wildcard) hostSuffixes.push(`.${name}`);
    else hosts.push(name);
  }
  return { allowList: { cidrs, hosts, hostSuffixes } };
}

/** Whether the allow-list admits an address; an IPv4-mapped or NAT64 form is admitted by its IPv4 range too. */
export function allowsAddress(allowList: OutgoingUrlAllowList, address: IpAddress): boolean {
  const ipv4 = embeddedIpv4(address);
  return allowList.cidrs.some((cidr) => cidrContains(cidr, address) || (ipv4 !== undefined && cidrContains(cidr, ipv4)));
}

/** Whether the allow-list trusts a host name (as the URL parser gives it: lower case, punycode). */
export function allowsHostName(allowList: OutgoingUrlAllowList, hostName: string): boolean {
  const name = hostName.replace(/\.+$/, '');
  return allowList.hosts.includes(name) || allowList.hostSuffixes.some((suffix) => name.endsWith(suffix));
}

/** A host name as URLs carry it (the WHATWG parser lower-cases and punycodes it), or undefined if it is not one. */
function normalizeHostName(text: string): string | undefined {
  const label = '[A-Za-z0-9\u0080-\uffff]([A-Za-z0-9\u0080-\uffff_-]*[A-Za-z0-9\u0080-\uffff])?';
  if (!new RegExp(`^${label}(\\.${label})*\\.?$`).test(text)) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${text}/`).hostname;
  } catch {
    return undefined;
  }
  // Something the parser reads as an IPv4 address (`0x7f.1`) is not a name; write it as an address.
  if (/^[\d.]+$/.test(hostname)) return undefined;
  return hostname.replace(/\.+$/, '');
}
