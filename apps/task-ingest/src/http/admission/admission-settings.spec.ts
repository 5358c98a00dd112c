import { ConfigError } from '@taskrouter/config';
import { readAdmissionSettings } from './admission-settings';

describe('admission settings', () => {
  it('has defaults for everything', () => {
    expect(readAdmissionSettings({})).toEqual({
      backlogHigh: 5000, backlogLow: 2000, maxInFlight: 256, maxCreatesInFlight: 128, sampleMs: 500, retryAfterMaxSeconds: 30,
    });
  });

  it('reads every variable, and derives the low mark and the creations bound from what was set', () => {
    expect(readAdmissionSettings({
      ADMISSION_BACKLOG_HIGH: '100', ADMISSION_BACKLOG_LOW: '10', ADMISSION_MAX_IN_FLIGHT: ' 64 ', ADMISSION_MAX_CREATES_IN_FLIGHT: '8',
      ADMISSION_SAMPLE_MS: '250', ADMISSION_RETRY_AFTER_MAX: '10',
    })).toEqual({ backlogHigh: 100, backlogLow: 10, maxInFlight: 64, maxCreatesInFlight: 8, sampleMs: 250, retryAfterMaxSeconds: 10 });
    expect(readAdmissionSettings({ ADMISSION_BACKLOG_HIGH: '20', ADMISSION_MAX_IN_FLIGHT: '1' })).toMatchObject({ backlogHigh: 20, backlogLow: 8, maxInFlight: 1, maxCreatesInFlight: 1 });
    expect(readAdmissionSettings({ ADMISSION_BACKLOG_HIGH: '', ADMISSION_SAMPLE_MS: '' })).toMatchObject({ backlogHigh: 5000, sampleMs: 500 });
  });

  it("turns backlog shedding off with ADMISSION_BACKLOG_HIGH=off (the in-flight bounds stay)", () => {
    expect(readAdmissionSettings({ ADMISSION_BACKLOG_HIGH: 'off' })).toMatchObject({ backlogHigh: null, maxInFlight: 256 });
    expect(readAdmissionSettings({ ADMISSION_BACKLOG_HIGH: 'OFF', ADMISSION_BACKLOG_LOW: '9000' })).toMatchObject({ backlogHigh: null });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ ADMISSION_BACKLOG_HIGH: '0' }, /^ADMISSION_BACKLOG_HIGH must be an integer from 1 to 100000000 or 'off', got '0'$/],
    [{ ADMISSION_BACKLOG_HIGH: '5k' }, /^ADMISSION_BACKLOG_HIGH must be an integer/],
    [{ ADMISSION_BACKLOG_HIGH: '-5' }, /^ADMISSION_BACKLOG_HIGH must be an integer/],
    [{ ADMISSION_BACKLOG_HIGH: '1e3' }, /^ADMISSION_BACKLOG_HIGH must be an integer/],
    [{ ADMISSION_BACKLOG_LOW: '5000' }, /^ADMISSION_BACKLOG_LOW \(5000\) must be below ADMISSION_BACKLOG_HIGH \(5000\)/],
    [{ ADMISSION_BACKLOG_HIGH: '100', ADMISSION_BACKLOG_LOW: '200' }, /^ADMISSION_BACKLOG_LOW \(200\) must be below ADMISSION_BACKLOG_HIGH \(100\)/],
    [{ ADMISSION_BACKLOG_LOW: '2.5' }, /^ADMISSION_BACKLOG_LOW must be an integer from 0/],
    [{ ADMISSION_MAX_IN_FLIGHT: '0' }, /^ADMISSION_MAX_IN_FLIGHT must be an integer from 1 to 1000000, got '0'$/],
    [{ ADMISSION_MAX_IN_FLIGHT: '10', ADMISSION_MAX_CREATES_IN_FLIGHT: '11' }, /^ADMISSION_MAX_CREATES_IN_FLIGHT \(11\) must be at most ADMISSION_MAX_IN_FLIGHT \(10\)$/],
    [{ ADMISSION_SAMPLE_MS: '10' }, /^ADMISSION_SAMPLE_MS must be an integer from 50 to 10000, got '10'$/],
    [{ ADMISSION_RETRY_AFTER_MAX: '0' }, /^ADMISSION_RETRY_AFTER_MAX must be an integer from 1 to 3600/],
  ])('refuses %j with a ConfigError naming the variable', (env, message) => {
    expect(() => readAdmissionSettings(env)).toThrow(ConfigError);
    expect(() => readAdmissionSettings(env)).toThrow(message);
  });
});
