import { ConfigError } from './config-error';

/** OPS_PORT: the operations listener's port (0-65535; 0 lets the system choose a free one). */
export function readOperationsPort(env: NodeJS.ProcessEnv, fallback: number): number {
  const raw = env.OPS_PORT?.trim();
  if (raw === undefined || raw === '') return fallback;
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`OPS_PORT must be a TCP port from 0 to 65535, got '${raw}'`);
  return port;
}
