import fc from 'fast-check';
import { formatIpAddress, parseCidr } from './ip-address';
import { EMPTY_ALLOW_LIST, LOOPBACK_ALLOW_LIST_TEXT, parseOutgoingUrlAllowList, type OutgoingUrlAllowList } from './outgoing-url-allow-list';
import { MAX_OUTGOING_URL_LENGTH, checkOutgoingUrl, checkResolvedAddresses } from './outgoing-url';
import { REFUSED_ADDRESS_RANGES } from './refused-address-ranges';

const allowList = (text: string): OutgoingUrlAllowList => {
  const parsed = parseOutgoingUrlAllowList(text);
  if (!('allowList' in parsed)) throw new Error(`bad allow-list ${text}`);
  return parsed.allowList;
};
const reasonFor = (url: string, allowed = EMPTY_ALLOW_LIST) => {
  const check = checkOutgoingUrl(url, allowed);
  return check.ok ? undefined : check.reason;
};

/** Other spellings of an IPv4 address that URL parsers (and some resolvers) read as the same address. */
const spellings = (value: number): string[] => {
  const [a, b, c, d] = [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  return [
    `${a}.${b}.${c}.${d}`, String(value), `0x${value.toString(16)}`, `0${value.toString(8)}`,
    `0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}`, `0x${a.toString(16)}.0x${b.toString(16)}.0x${c.toString(16)}.0x${d.toString(16)}`,
    `${a}.${(value & 0xffffff) >>> 0}`, `${a}.${b}.${value & 0xffff}`, `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}]`, `[0:0:0:0:0:ffff:${a}.${b}.${c}.${d}]`,
  ];
};

describe('the outgoing URL policy', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', 'link-local'],
    ['http://2852039166/', 'link-local'],
    ['http://0xa9fea9fe/', 'link-local'],
    ['http://0251.0376.0251.0376/', 'link-local'],
    ['http://169.254.43518/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ['http://[2002:a9fe:a9fe::1]/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://127.0.0.1:8080/cb', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.255.255.254/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://localhost/', 'loopback name'],
    ['http://LOCALHOST./', 'loopback name'],
    ['https://api.localhost:3000/', 'loopback name'],
    ['http://[::127.0.0.1]/', 'IPv4-compatible'],
    ['http://[::8.8.8.8]/', 'IPv4-compatible'],
    ['http://0/', 'unspecified'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0.1.2.3/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://10.0.0.1/', 'private'],
    ['http://10.255.255.255/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://[fd12:3456::1]/', 'private'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://100.127.255.255/', 'carrier-grade NAT'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://239.255.255.250/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://198.18.0.1/', 'benchmarking'],
    ['http://192.0.0.170/', 'IETF protocol'],
    ['http://[fec0::1]/', 'site-local'],
    ['http://[100::1]/', 'discard-only'],
    ['http://[64:ff9b:1::1]/', 'local NAT64'],
  ])('refuses %s (%s)', (url, what) => {
    expect(reasonFor(url)).toMatch(new RegExp(`^points to .*${what.replace(/[()]/g, '\\$&')}.*OUTGOING_URL_ALLOW`));
  });

  it.each([
    ['file:///etc/passwd', 'http or https URL, got a file: URL'],
    ['javascript:alert(1)', 'got a javascript: URL'],
    ['gopher://example.com:70/_GET', 'got a gopher: URL'],
    ['ftp://example.com/x', 'got a ftp: URL'],
    ['data:text/plain,hello', 'got a data: URL'],
    ['ws://example.com/', 'got a ws: URL'],
    ['dict://example.com:11211/stats', 'got a dict: URL'],
    ['example.com/callback', 'must be an absolute http or https URL'],
    ['/callback', 'must be an absolute http or https URL'],
    ['', 'must be an absolute http or https URL'],
    ['http://', 'must be an absolute http or https URL'],
    ['http://user:pass@example.com/', 'must not carry credentials'],
    ['http://user@example.com/', 'must not carry credentials'],
    ['https://:secret@example.com/', 'must not carry credentials'],
    ['http://a%40b:c@example.com/', 'must not carry credentials'],
    ['http://exa mple.com/', 'spaces, control characters'],
    ['http://example.com/\u0000', 'spaces, control characters'],
    ['http://example.com/\n', 'spaces, control characters'],
    [' http://example.com/', 'spaces, control characters'],
    ['http://example.com/\ud800', 'lone surrogates'],
    ['http://[::1/', 'must be an absolute http or https URL'],
    ['http://1.2.3.4.5/', 'must be an absolute http or https URL'],
  ])('refuses %j: %s', (url, reason) => {
    expect(reasonFor(url)).toContain(reason);
  });

  it(`refuses URLs longer than ${MAX_OUTGOING_URL_LENGTH} characters, without echoing them`, () => {
    const long = `https://example.com/${'a'.repeat(100_000)}`;
    expect(reasonFor(long)).toBe(`must be at most 2048 characters, got ${long.length}`);
    const exact = `https://example.com/${'a'.repeat(MAX_OUTGOING_URL_LENGTH - 'https://example.com/'.length)}`;
    expect(exact).toHaveLength(MAX_OUTGOING_URL_LENGTH);
    expect(reasonFor(exact)).toBeUndefined();
    expect(reasonFor(`${exact}a`)).toMatch(/at most 2048/);
  });

  it.each([
    'https://example.com/callback', 'http://example.com:8080/a?b=c#d', 'http://93.184.216.34/', 'http://8.8.8.8/', 'http://172.15.255.255/',
    'http://172.32.0.1/', 'http://100.63.255.255/', 'http://100.128.0.1/', 'http://169.253.255.255/', 'http://11.0.0.1/', 'http://223.255.255.255/',
    'http://[2606:4700:4700::1111]/', 'http://[::ffff:8.8.8.8]/', 'http://[64:ff9b::808:808]/', 'https://münchen.de/straße',
    'http://localhost.example.com/', 'http://mylocalhost/', 'HTTPS://EXAMPLE.COM/', 'http://example.com./',
  ])('allows %s', (url) => {
    expect(reasonFor(url)).toBeUndefined();
  });

  it('tells an address from a name, and whether the allow-list trusts the name', () => {
    expect(checkOutgoingUrl('http://8.8.8.8/', EMPTY_ALLOW_LIST)).toMatchObject({ ok: true, host: { kind: 'address', address: { family: 4, value: 0x08080808n } } });
    expect(checkOutgoingUrl('http://Hooks.Example.com./x', EMPTY_ALLOW_LIST)).toMatchObject({ ok: true, host: { kind: 'name', name: 'hooks.example.com', trusted: false } });
    expect(checkOutgoingUrl('http://hooks.example.com/x', allowList('hooks.example.com'))).toMatchObject({ ok: true, host: { kind: 'name', trusted: true } });
  });

  describe('with an allow-list', () => {
    it('admits the listed ranges, including their IPv4-mapped forms, and nothing else', () => {
      const loopback4 = allowList('127.0.0.0/8');
      expect(reasonFor('http://127.0.0.1:9/', loopback4)).toBeUndefined();
      expect(reasonFor('http://0x7f.1/', loopback4)).toBeUndefined();
      expect(reasonFor('http://[::ffff:127.0.0.1]/', loopback4)).toBeUndefined();
      expect(reasonFor('http://[::1]/', loopback4)).toMatch(/loopback/);
      expect(reasonFor('http://localhost/', loopback4)).toMatch(/loopback name/);
      expect(reasonFor('http://10.0.0.1/', loopback4)).toMatch(/private/);
      const corp = allowList(' 10.20.0.0/16 , fd00::/8 ');
      expect(reasonFor('http://10.20.1.2/', corp)).toBeUndefined();
      expect(reasonFor('http://10.21.1.2/', corp)).toMatch(/private/);
      expect(reasonFor('http://[fd00::5]/', corp)).toBeUndefined();
      expect(reasonFor('http://[fc00::5]/', corp)).toMatch(/private/);
    });

    it('admits loopback by address and by name with the development list', () => {
      const development = allowList(LOOPBACK_ALLOW_LIST_TEXT);
      for (const url of ['http://127.0.0.1:3000/', 'http://[::1]:3000/', 'http://localhost:3000/', 'http://LocalHost./', 'http://cb.localhost/']) {
        expect(reasonFor(url, development)).toBeUndefined();
      }
      expect(reasonFor('http://169.254.169.254/', development)).toMatch(/link-local/);
      expect(reasonFor('http://192.168.0.1/', development)).toMatch(/private/);
    });

    it('never admits another scheme, credentials or an over-long URL', () => {
      const everything = allowList('0.0.0.0/0,::/0,*.com,example.com');
      expect(reasonFor('file:///etc/passwd', everything)).toMatch(/file:/);
      expect(reasonFor('gopher://example.com/', everything)).toMatch(/gopher:/);
      expect(reasonFor('http://u:p@example.com/', everything)).toMatch(/credentials/);
      expect(reasonFor(`http://example.com/${'x'.repeat(3000)}`, everything)).toMatch(/at most/);
      expect(reasonFor('http://10.0.0.1/', everything)).toBeUndefined();
    });
  });

  describe('properties', () => {
    const anyIpv4 = fc.nat({ max: 0xffffffff });

    it('judges every spelling of an IPv4 address (decimal, octal, hex, short, IPv4-mapped) as that address', () => {
      fc.assert(fc.property(anyIpv4, (value) => {
        const verdicts = spellings(value).map((host) => reasonFor(`http://${host}/`) === undefined);
        expect(new Set(verdicts).size).toBe(1);
      }), { numRuns: 3_000 });
    });

    it('refuses every address of every refused range, and admits it once the range is allowed', () => {
      const ranges = REFUSED_ADDRESS_RANGES.map((range) => ({ range, cidr: parseCidr(range.cidr)! }));
      fc.assert(fc.property(fc.constantFrom(...ranges), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), ({ range, cidr }, random) => {
        const bits = cidr.family === 4 ? 32 : 128;
        const hostBits = BigInt(bits - cidr.prefix);
        const address = { family: cidr.family, value: cidr.network | (random & ((1n << hostBits) - 1n)) };
        const text = formatIpAddress(address);
        const url = cidr.family === 4 ? `http://${text}/` : `http://[${text}]/`;
        expect(reasonFor(url)).toMatch(/^points to /);
        expect(checkResolvedAddresses('cb.example.com', [text], EMPTY_ALLOW_LIST)).toMatch(/^cb\.example\.com resolves to /);
        expect(reasonFor(url, allowList(range.cidr))).toBeUndefined();
        if (cidr.family === 4) expect(reasonFor(`http://[::ffff:${text}]/`)).toMatch(/^points to /);
      }), { numRuns: 3_000 });
    });

    it('allows every http(s) URL on a public name without credentials, and refuses it with credentials', () => {
      const publicName = fc.domain().filter((name) => !/(^|\.)localhost$/.test(name));
      fc.assert(fc.property(fc.constantFrom('http', 'https'), publicName, fc.webPath(), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), (scheme, name, path, user) => {
        fc.pre(`${scheme}://${name}${path}`.length <= MAX_OUTGOING_URL_LENGTH);
        expect(reasonFor(`${scheme}://${name}${path}`)).toBeUndefined();
        expect(reasonFor(`${scheme}://${encodeURIComponent(user)}@${name}${path}`)).toMatch(/credentials/);
      }), { numRuns: 2_000 });
    });

    it('answers any text with a verdict and never throws; anything allowed is http(s) with a host', () => {
      fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.ipV4Extended().map((ip) => `http://${ip}/`)), (text) => {
        const check = checkOutgoingUrl(text, EMPTY_ALLOW_LIST);
        if (check.ok) {
          expect(['http:', 'https:']).toContain(check.url.protocol);
          expect(check.url.hostname).not.toBe('');
          expect(check.url.username + check.url.password).toBe('');
        }
      }), { numRuns: 5_000 });
    });

    it('refuses a resolution when any one address is refused', () => {
      fc.assert(fc.property(fc.array(fc.constantFrom('8.8.8.8', '2606:4700::1111', '1.1.1.1')), fc.constantFrom('127.0.0.1', '10.1.1.1', '::1', 'fe80::1%eth0', '::ffff:169.254.169.254', 'not-an-address'), fc.nat(), (public_, refused, at) => {
        const addresses: string[] = [...public_];
        addresses.splice(at % (addresses.length + 1), 0, refused);
        expect(checkResolvedAddresses('cb.example.com', addresses, EMPTY_ALLOW_LIST)).toMatch(/^cb\.example\.com resolves to /);
        expect(checkResolvedAddresses('cb.example.com', public_.length > 0 ? public_ : ['8.8.8.8'], EMPTY_ALLOW_LIST)).toBeUndefined();
      }), { numRuns: 1_000 });
      expect(checkResolvedAddresses('cb.example.com', [], EMPTY_ALLOW_LIST)).toBe('cb.example.com resolves to no address');
      expect(checkResolvedAddresses('cb.example.com', ['127.0.0.1', '::1'], allowList(LOOPBACK_ALLOW_LIST_TEXT))).toBeUndefined();
      expect(checkResolvedAddresses('cb.example.com', ['127.0.0.1', '::1'], allowList('127.0.0.0/8'))).toMatch(/::1, a loopback address/);
    });
  });
});
