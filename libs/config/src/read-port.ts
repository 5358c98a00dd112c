import { ConfigError } from './config-error';

/** A TCP port from the environment (1-65535); unset or empty means the fallback. */
export function readPort(env: NodeJS.ProcessEnv, name = 'PORT', fallback = 3000): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be a TCP port from 1 to 65535, got '${raw}'`);
  }
  return port;
}
