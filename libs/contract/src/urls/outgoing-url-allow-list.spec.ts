import { allowsAddress, allowsHostName, parseOutgoingUrlAllowList } from './outgoing-url-allow-list';
import { parseIpAddress } from './ip-address';

const parse = (text: string) => {
  const parsed = parseOutgoingUrlAllowList(text);
  if (!('allowList' in parsed)) throw new Error(`refused ${parsed.invalidEntry}`);
  return parsed.allowList;
};

describe('the outgoing URL allow-list', () => {
  it('reads CIDRs, single addresses, names and *. wildcards; blank entries are ignored', () => {
    const list = parse(' 10.0.0.0/8, ,fd00::/8,192.168.1.7,[::1],Hooks.Internal.,*.corp.example,');
    expect(list.cidrs.map((c) => [c.family, c.prefix])).toEqual([[4, 8], [6, 8], [4, 32], [6, 128]]);
    expect(list.hosts).toEqual(['hooks.internal']);
    expect(list.hostSuffixes).toEqual(['.corp.example']);
    expect(parse('')).toEqual({ cidrs: [], hosts: [], hostSuffixes: [] });
  });

  it.each(['10.0.0.0/33', '300.1.1.1', '::/129', 'exa mple', '*.', '*', '*.*.example', 'http://x', 'x/8', '0x7f.1', '1.2.3', 'a..b', '-a.example', 'a:80'])(
    'names the entry %j that is none of these', (entry) => {
      expect(parseOutgoingUrlAllowList(`10.0.0.0/8,${entry}`)).toEqual({ invalidEntry: entry });
    });

  it('matches host names exactly, and wildcards below the name only', () => {
    const list = parse('hooks.internal,*.corp.example');
    expect(allowsHostName(list, 'hooks.internal')).toBe(true);
    expect(allowsHostName(list, 'hooks.internal.')).toBe(true);
    expect(allowsHostName(list, 'a.hooks.internal')).toBe(false);
    expect(allowsHostName(list, 'a.corp.example')).toBe(true);
    expect(allowsHostName(list, 'a.b.corp.example')).toBe(true);
    expect(allowsHostName(list, 'corp.example')).toBe(false);
    expect(allowsHostName(list, 'evilcorp.example')).toBe(false);
  });

  it('punycodes Unicode names as URLs carry them', () => {
    expect(allowsHostName(parse('bücher.example'), new URL('http://BÜCHER.example/').hostname)).toBe(true);
  });

  it('admits IPv4-mapped and NAT64 forms by their IPv4 range', () => {
    const list = parse('127.0.0.0/8');
    expect(allowsAddress(list, parseIpAddress('::ffff:127.0.0.2')!)).toBe(true);
    expect(allowsAddress(list, parseIpAddress('64:ff9b::7f00:1')!)).toBe(true);
    expect(allowsAddress(list, parseIpAddress('::1')!)).toBe(false);
    expect(allowsAddress(list, parseIpAddress('128.0.0.1')!)).toBe(false);
  });
});
