import { ConfigError } from './config-error';
import { readPort } from './read-port';

describe('readPort', () => {
  it('reads the named variable, falling back when unset or empty', () => {
    expect(readPort({ PORT: '8080' })).toBe(8080);
    expect(readPort({})).toBe(3000);
    expect(readPort({ PORT: '' })).toBe(3000);
    expect(readPort({ ADMIN_PORT: ' 9000 ' }, 'ADMIN_PORT', 1)).toBe(9000);
    expect(readPort({}, 'ADMIN_PORT', 4000)).toBe(4000);
  });

  it.each(['0', '65536', '80a', '-1', '3.5', '0x50'])('rejects %s with a ConfigError naming the variable', (value) => {
    expect(() => readPort({ HTTP_PORT: value }, 'HTTP_PORT')).toThrow(ConfigError);
    expect(() => readPort({ HTTP_PORT: value }, 'HTTP_PORT')).toThrow(/^HTTP_PORT must be a TCP port from 1 to 65535/);
  });
});
