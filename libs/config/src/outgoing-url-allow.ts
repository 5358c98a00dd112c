import { EMPTY_ALLOW_LIST, parseOutgoingUrlAllowList, type OutgoingUrlAllowList } from '@taskrouter/contract';
import { ConfigError } from './config-error';

export const OUTGOING_URL_ALLOW = 'OUTGOING_URL_ALLOW';

/**
 * What outgoing callbacks may reach beyond the public internet: a comma-separated list of CIDRs,
 * addresses and host names (`*.name` for the names below it). Unset or blank allows nothing more;
 * `npm start` and the test harness set it to loopback. Read once at start; a bad entry is named.
 */
export function readOutgoingUrlAllowList(env: NodeJS.ProcessEnv): OutgoingUrlAllowList {
  const raw = env[OUTGOING_URL_ALLOW]?.trim();
  if (raw === undefined || raw === '') return EMPTY_ALLOW_LIST;
  const parsed = parseOutgoingUrlAllowList(raw);
  if ('invalidEntry' in parsed) {
    throw new ConfigError(
      `${OUTGOING_URL_ALLOW} must be a comma-separated list of CIDRs (10.1.0.0/16, fd00::/8), addresses and host names `
      + `(hooks.internal, *.corp.example), got '${raw}' ('${parsed.invalidEntry}' is none of these)`,
    );
  }
  return parsed.allowList;
}
