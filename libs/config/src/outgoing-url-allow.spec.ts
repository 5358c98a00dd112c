import { ConfigError } from './config-error';
import { readOutgoingUrlAllowList } from './outgoing-url-allow';

describe('OUTGOING_URL_ALLOW', () => {
  it('allows nothing beyond the public internet when unset or blank', () => {
    expect(readOutgoingUrlAllowList({})).toEqual({ cidrs: [], hosts: [], hostSuffixes: [] });
    expect(readOutgoingUrlAllowList({ OUTGOING_URL_ALLOW: '  ' })).toEqual({ cidrs: [], hosts: [], hostSuffixes: [] });
  });

  it('reads CIDRs and names', () => {
    const list = readOutgoingUrlAllowList({ OUTGOING_URL_ALLOW: '127.0.0.0/8,::1,localhost,*.localhost' });
    expect(list.cidrs).toHaveLength(2);
    expect(list.hosts).toEqual(['localhost']);
    expect(list.hostSuffixes).toEqual(['.localhost']);
  });

  it.each(['10.0.0.0/33', 'http://hooks.internal', '*'])('refuses %j with a ConfigError naming the variable and the entry', (entry) => {
    const read = () => readOutgoingUrlAllowList({ OUTGOING_URL_ALLOW: `10.0.0.0/8,${entry}` });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^OUTGOING_URL_ALLOW must be a comma-separated list .*'${entry.replace(/[*/.]/g, '\\$&')}' is none of these`));
  });
});
