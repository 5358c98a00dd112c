import twilio from 'twilio';
import { readAssignmentInstruction } from './assignment-callback-request';
import { twilioSignature } from './twilio-signature';

describe('the assignment callback', () => {
  it('signs its request the way the twilio SDK validates it', () => {
    const params = { TaskSid: 'WT1', ReservationSid: 'WR1', TaskAttributes: '{"a":1}', WorkerSid: 'WK1' };
    const url = 'https://example.test/assignment?x=1';
    const signature = twilioSignature('secret-token', url, params);
    expect(twilio.validateRequest('secret-token', signature, url, params)).toBe(true);
    expect(twilio.validateRequest('another-token', signature, url, params)).toBe(false);
  });

  it.each([
    ['application/json', '{"instruction":"accept"}', { kind: 'accept' }],
    ['application/json; charset=utf-8', '{"instruction":"Reject","activity_sid":"WA1"}', { kind: 'reject', activitySid: 'WA1' }],
    ['application/json', '{"instruction":"dequeue","to":"+1"}', { kind: 'unsupported', instruction: 'dequeue' }],
    ['application/json', '{}', { kind: 'later' }],
    ['application/json', '{"instruction":', { kind: 'later' }],
    ['text/plain', '{"instruction":"accept"}', { kind: 'later' }],
    [null, '', { kind: 'later' }],
  ])('reads %s %s as %j', (contentType, body, expected) => {
    expect(readAssignmentInstruction(contentType, body)).toEqual(expected);
  });
});
