import fc from 'fast-check';
import { cidrContains, formatIpAddress, parseCidr, parseIpAddress, parseIpv4, parseIpv6 } from './ip-address';

/** The WHATWG URL parser's serialisation of an IPv6 address: an independent oracle for ours. */
const whatwgIpv6 = (text: string) => new URL(`http://[${text}]/`).hostname.slice(1, -1);

describe('IP addresses', () => {
  it.each([
    ['0.0.0.0', 0n], ['127.0.0.1', 0x7f000001n], ['255.255.255.255', 0xffffffffn], ['169.254.169.254', 0xa9fea9fen],
  ])('reads IPv4 %s', (text, value) => {
    expect(parseIpv4(text)).toEqual({ family: 4, value });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '0x7f.0.0.1', '1.2.3.-4', ' 1.2.3.4', '1.2.3.4 ', '1..3.4'])(
    'refuses the IPv4 text %j (odd spellings are the URL parser\'s job)', (text) => {
      expect(parseIpv4(text)).toBeUndefined();
    });

  it.each([
    ['::', 0n], ['::1', 1n], ['1::', 1n << 112n], ['::ffff:169.254.169.254', 0xffffa9fea9fen], ['::ffff:a9fe:a9fe', 0xffffa9fea9fen],
    ['fe80::1%eth0', (0xfe80n << 112n) | 1n], ['1:2:3:4:5:6:7:8', 0x00010002000300040005000600070008n], ['FFFF::', 0xffffn << 112n],
    ['0:0:0:0:0:ffff:127.0.0.1', 0xffff7f000001n],
  ])('reads IPv6 %s', (text, value) => {
    expect(parseIpv6(text)).toEqual({ family: 6, value });
  });

  it.each([':::', '1:2:3:4:5:6:7:8:9', '1::2::3', '::1.2.3.4:5', '12345::', 'g::', '1:2:3:4:5:6:7', '::1.2.3', '1.2.3.4::', ':1::', '1:2:3:4:5:6:7::8:9'])(
    'refuses the IPv6 text %j', (text) => {
      expect(parseIpv6(text)).toBeUndefined();
    });

  it('reads bracketed IPv6 as URLs write it, and either family', () => {
    expect(parseIpAddress('[::1]')).toEqual({ family: 6, value: 1n });
    expect(parseIpAddress('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIpAddress('example.com')).toBeUndefined();
  });

  it('formats IPv4 as a dotted quad and reads it back', () => {
    fc.assert(fc.property(fc.ipV4(), (text) => {
      expect(formatIpAddress(parseIpv4(text)!)).toBe(text);
    }), { numRuns: 2_000 });
  });

  it('reads every IPv6 spelling to the value the URL parser reads, and formats it the same way', () => {
    fc.assert(fc.property(fc.ipV6(), (text) => {
      const parsed = parseIpv6(text);
      expect(parsed).toBeDefined();
      expect(formatIpAddress(parsed!)).toBe(whatwgIpv6(text));
      expect(parseIpv6(formatIpAddress(parsed!))).toEqual(parsed);
    }), { numRuns: 3_000 });
  });

  it('reads CIDRs, clears host bits, and refuses bad prefixes', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, network: 0x0a000000n, prefix: 8 });
    expect(parseCidr('::1')).toEqual({ family: 6, network: 1n, prefix: 128 });
    expect(parseCidr('1.2.3.4')).toEqual({ family: 4, network: 0x01020304n, prefix: 32 });
    expect(parseCidr('fd00::/8')).toEqual({ family: 6, network: 0xfdn << 120n, prefix: 8 });
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/a', '10.0.0.0/-1', 'x/8', '/8']) expect(parseCidr(bad)).toBeUndefined();
  });

  it('contains exactly the addresses sharing the prefix', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (a, b, prefix) => {
      const cidr = parseCidr(`${formatIpAddress({ family: 4, value: BigInt(a) })}/${prefix}`)!;
      const shift = BigInt(32 - prefix);
      expect(cidrContains(cidr, { family: 4, value: BigInt(b) })).toBe(BigInt(a) >> shift === BigInt(b) >> shift);
      expect(cidrContains(cidr, { family: 6, value: BigInt(a) })).toBe(false);
    }), { numRuns: 2_000 });
  });
});
