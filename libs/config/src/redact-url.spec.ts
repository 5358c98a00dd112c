import { describeError } from './describe-error';
import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('removes the password and keeps the rest', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/x?sslmode=require')).toBe('postgres://app@db:5432/x?sslmode=require');
    expect(redactUrl('redis://:s3cret@cache:6379/0')).toBe('redis://cache:6379/0');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('removes the password even from a string the URL parser rejects', () => {
    expect(redactUrl('postgres://app:s3cret@db:notaport/x')).toBe('postgres://app@db:notaport/x');
  });
});

describe('describeError', () => {
  it('spells out an AggregateError whose own message is empty', () => {
    const error = new AggregateError([new Error('connect ECONNREFUSED ::1:1'), new Error('connect ECONNREFUSED 127.0.0.1:1')], '');
    expect(describeError(error)).toBe('connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1');
    expect(describeError('plain')).toBe('plain');
  });
});
