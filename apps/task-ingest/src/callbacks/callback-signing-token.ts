import { randomBytes } from 'node:crypto';
import type { AuthSettings } from '../ingest-context';

export const DEV_AUTH_TOKEN = 'TASKROUTER_DEV_AUTH_TOKEN';

/**
 * The token callbacks are signed with (`X-Twilio-Signature`), so every callback is signed. With
 * TASKROUTER_AUTH_TOKEN set, the one account's token. In development (any AC SID with any token
 * authenticates) no account has a real token, so every account's is the development auth token:
 * TASKROUTER_DEV_AUTH_TOKEN when set (stable across restarts), otherwise 32 random hex characters
 * drawn at start and printed once, never a fixed value that anyone who read the docs could sign with.
 */
export function callbackSigningToken(
  auth: AuthSettings, env: NodeJS.ProcessEnv, random: () => string = () => randomBytes(16).toString('hex'),
): { token: string; announcement?: string } {
  if (auth.authToken !== undefined) return { token: auth.authToken };
  const configured = env[DEV_AUTH_TOKEN]?.trim();
  if (configured) return { token: configured, announcement: `development mode: callbacks are signed with ${DEV_AUTH_TOKEN} for every account` };
  const token = random();
  return {
    token,
    announcement: `development mode: callbacks are signed with the development auth token ${token} for every account (set ${DEV_AUTH_TOKEN} to keep one across restarts)`,
  };
}
