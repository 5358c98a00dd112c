import twilio from 'twilio';
import { callbackSigningToken } from './callback-signing-token';
import { twilioSignature } from './twilio-signature';

describe('the token callbacks are signed with', () => {
  it("is the account's auth token when one is configured, and says nothing", () => {
    expect(callbackSigningToken({ accountSid: 'AC1', authToken: 'real' }, { TASKROUTER_DEV_AUTH_TOKEN: 'dev' })).toEqual({ token: 'real' });
  });

  it('is the configured development token in development mode, without printing it', () => {
    const { token, announcement } = callbackSigningToken({}, { TASKROUTER_DEV_AUTH_TOKEN: ' chosen ' });
    expect(token).toBe('chosen');
    expect(announcement).toBe('development mode: callbacks are signed with TASKROUTER_DEV_AUTH_TOKEN for every account');
  });

  it('is drawn at random in development mode otherwise, and printed so receivers can check signatures', () => {
    const { token, announcement } = callbackSigningToken({}, { TASKROUTER_DEV_AUTH_TOKEN: '  ' });
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(announcement).toContain(`development auth token ${token} for every account`);
    expect(callbackSigningToken({}, {}).token).not.toBe(token);
    const params = { TaskSid: 'WT1' };
    expect(twilio.validateRequest(token, twilioSignature(token, 'https://example.test/cb', params), 'https://example.test/cb', params)).toBe(true);
  });
});
