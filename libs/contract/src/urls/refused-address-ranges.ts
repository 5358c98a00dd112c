import { cidrContains, parseCidr, type Cidr, type IpAddress } from './ip-address';

/** An address range outgoing requests never go to, unless the operator's allow-list admits it. */
export interface RefusedRange {
  readonly cidr: string;
  /** What the range is, as a message names it: "a private address (10.0.0.0/8)". */
  readonly what: string;
}

/**
 * Everything that is not the public internet: the host itself, its links, private networks,
 * carrier-grade NAT, multicast and reserved space (RFC 6890's special-purpose registries, the
 * parts that reach the machine or its neighbours). Listed in docs/operations.md.
 */
const REFUSED: ReadonlyArray<RefusedRange> = [
  { cidr: '0.0.0.0/8', what: 'an unspecified ("this network") address' },
  { cidr: '10.0.0.0/8', what: 'a private address' },
  { cidr: '100.64.0.0/10', what: 'a carrier-grade NAT address' },
  { cidr: '127.0.0.0/8', what: 'a loopback address' },
  { cidr: '169.254.0.0/16', what: 'a link-local address (where cloud metadata services live)' },
  { cidr: '172.16.0.0/12', what: 'a private address' },
  { cidr: '192.0.0.0/24', what: 'an IETF protocol address' },
  { cidr: '192.168.0.0/16', what: 'a private address' },
  { cidr: '198.18.0.0/15', what: 'a benchmarking address' },
  { cidr: '224.0.0.0/4', what: 'a multicast address' },
  { cidr: '240.0.0.0/4', what: 'a reserved or broadcast address' },
  { cidr: '::/128', what: 'an unspecified address' },
  { cidr: '::1/128', what: 'a loopback address' },
  // The deprecated IPv4-compatible form has no public use left; refusing it whole leaves no spelling of 127.0.0.1 through.
  { cidr: '::/96', what: 'an IPv4-compatible address' },
  { cidr: '64:ff9b:1::/48', what: 'a local NAT64 address' },
  { cidr: '100::/64', what: 'a discard-only address' },
  { cidr: 'fc00::/7', what: 'a private (unique local) address' },
  { cidr: 'fe80::/10', what: 'a link-local address' },
  { cidr: 'fec0::/10', what: 'a site-local address' },
  { cidr: 'ff00::/8', what: 'a multicast address' },
];

/** The tables below are constants: a typo in one is a programming error, found by the first test. */
function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
}

const REFUSED_CIDRS: ReadonlyArray<readonly [Cidr, RefusedRange]> = REFUSED.map((range) => [cidr(range.cidr), range]);

/**
 * IPv6 ranges that carry an IPv4 address in their low bits; a connection there reaches (or is
 * translated to) that IPv4 address, so it is judged as that address.
 */
const EMBEDDING: ReadonlyArray<readonly [Cidr, (value: bigint) => bigint]> = [
  [cidr('::ffff:0:0/96'), (value) => value & 0xffffffffn], // IPv4-mapped
  [cidr('64:ff9b::/96'), (value) => value & 0xffffffffn], // NAT64, well-known prefix
  [cidr('2002::/16'), (value) => (value >> 80n) & 0xffffffffn], // 6to4
];

/** The IPv4 address an IPv6 address stands for, if it embeds one. */
export function embeddedIpv4(address: IpAddress): IpAddress | undefined {
  if (address.family !== 6) return undefined;
  for (const [cidr, extract] of EMBEDDING) {
    if (cidrContains(cidr, address)) return { family: 4, value: extract(address.value) };
  }
  return undefined;
}

/** The refused range an address falls in (judging embedded IPv4 as itself), or undefined for a public address. */
export function refusedRangeOf(address: IpAddress): RefusedRange | undefined {
  const judged = embeddedIpv4(address) ?? address;
  return REFUSED_CIDRS.find(([cidr]) => cidrContains(cidr, judged))?.[1];
}

export const REFUSED_ADDRESS_RANGES = REFUSED;
