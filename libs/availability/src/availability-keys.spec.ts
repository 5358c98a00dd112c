import { AvailabilityKeys, escapeGlob } from './availability-keys';

describe('AvailabilityKeys', () => {
  const keys = new AvailabilityKeys('tr:');

  it('puts every key of a workspace under one hash tag, the workspace SID', () => {
    const all = [
      keys.worker('WS1', 'WK1'),
      keys.candidates('WS1', 'WQ1', 'voice'),
      keys.waiting('WS1', 'WQ1'),
      keys.waitingDetails('WS1', 'WQ1'),
    ];
    expect(all).toEqual(['tr:{WS1}:worker:WK1', 'tr:{WS1}:candidates:WQ1:voice', 'tr:{WS1}:waiting:WQ1', 'tr:{WS1}:waiting-details:WQ1']);
    // Redis Cluster hashes the text between the first '{' and the next '}'.
    for (const key of all) expect(/\{([^}]*)\}/.exec(key)?.[1]).toBe('WS1');
  });

  it('refuses braces that would move the hash tag, and empty names', () => {
    expect(() => new AvailabilityKeys('a{b}:')).toThrow(/keyPrefix/);
    expect(() => keys.worker('W{S}', 'WK1')).toThrow(/workspaceSid/);
    expect(() => keys.worker('', 'WK1')).toThrow(/workspaceSid/);
    expect(() => keys.worker('WS1', '')).toThrow(/workerSid/);
    expect(() => keys.candidates('WS1', 'WQ1', '')).toThrow(/channel/);
  });

  it('escapes glob characters so one workspace pattern never matches another workspace', () => {
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
    expect(keys.workspacePattern('WS*')).toBe('tr:{WS\\*}:*');
  });
});
