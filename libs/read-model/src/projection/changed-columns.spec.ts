import { changedColumns } from './changed-columns';

describe('changedColumns', () => {
  const columns = { valued: [['friendlyName', 'friendly_name']] as const, clearable: [['callbackUrl', 'callback_url']] as const };

  it('sets a valued column only to a value, a clearable one whenever named, and the time always', () => {
    expect(changedColumns('t1', { friendlyName: 'a', callbackUrl: null }, columns)).toEqual({ date_updated: 't1', friendly_name: 'a', callback_url: null });
    expect(changedColumns('t2', { friendlyName: null }, columns)).toEqual({ date_updated: 't2' });
    expect(changedColumns('t3', { callbackUrl: undefined }, columns)).toEqual({ date_updated: 't3', callback_url: null });
  });
});
