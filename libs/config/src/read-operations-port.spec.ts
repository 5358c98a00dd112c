import { ConfigError } from './config-error';
import { readOperationsPort } from './read-operations-port';

describe('readOperationsPort', () => {
  it('takes the fallback when OPS_PORT is unset or empty', () => {
    expect(readOperationsPort({}, 9464)).toBe(9464);
    expect(readOperationsPort({ OPS_PORT: ' ' }, 9465)).toBe(9465);
  });

  it('accepts 0 (a free port) and any TCP port', () => {
    expect(readOperationsPort({ OPS_PORT: '0' }, 9464)).toBe(0);
    expect(readOperationsPort({ OPS_PORT: '65535' }, 9464)).toBe(65535);
  });

  it.each(['-1', '65536', 'abc', '94.6'])('refuses %s naming the variable', (raw) => {
    expect(() => readOperationsPort({ OPS_PORT: raw }, 9464)).toThrow(ConfigError);
    expect(() => readOperationsPort({ OPS_PORT: raw }, 9464)).toThrow(/OPS_PORT/);
  });
});
