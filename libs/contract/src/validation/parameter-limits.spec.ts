import fc from 'fast-check';
import { TaskRouterError } from '../errors/taskrouter-error';
import { checkParameterLimits, DEFAULT_PARAMETER_LIMIT, PARAMETER_LIMITS, utf8Length } from './parameter-limits';

function refusal(values: Record<string, string | string[]>): TaskRouterError {
  try {
    checkParameterLimits(values);
  } catch (error) {
    if (error instanceof TaskRouterError) return error;
    throw error;
  }
  throw new Error('expected the parameters to be refused');
}

describe('parameter size limits', () => {
  const counted = [...PARAMETER_LIMITS].filter(([, limit]) => limit.unit === 'characters');
  it.each(counted)('takes %s up to its bound and refuses one character more', (name, limit) => {
    const value = (length: number) => (limit.json ? `"${'x'.repeat(length - 2)}"` : 'x'.repeat(length));
    expect(() => checkParameterLimits({ [name]: value(limit.max) })).not.toThrow();
    const error = refusal({ [name]: value(limit.max + 1) });
    expect(error.toBody()).toMatchObject({ status: 400, code: 20001 });
    expect(error.message).toBe(`${name} is ${limit.max + 1} characters long; at most ${limit.max.toLocaleString('en-US')} characters are allowed`);
  });

  it('counts Configuration in UTF-8 bytes: 1,038,576 of them', () => {
    const ascii = `{"task_routing":{"filters":[],"x":"${'x'.repeat(1_038_576 - 38)}"}}`;
    expect(utf8Length(ascii)).toBe(1_038_576);
    expect(() => checkParameterLimits({ Configuration: ascii })).not.toThrow();
    expect(refusal({ Configuration: ascii.replace('x', 'é') }).message).toMatch(/^Configuration is 1038577 bytes long/);
  });

  it('bounds any other parameter, and every value of a repeated one, by the default limit', () => {
    expect(refusal({ Reason: 'r'.repeat(DEFAULT_PARAMETER_LIMIT.max + 1) }).message).toMatch(/^Reason is 4097 characters/);
    expect(refusal({ AssignmentStatus: ['pending', 'p'.repeat(4_097)] }).message).toMatch(/^AssignmentStatus is 4097/);
  });

  it('checks the text inside JSON documents and the bounds inside a workflow configuration', () => {
    expect(refusal({ Attributes: '{"a":"\\u0000"}' }).message).toMatch(/^Attributes has a string that is not valid text/);
    expect(refusal({ EvaluateWorkerAttributes: '{"\\ud800":1}' }).message).toMatch(/^EvaluateWorkerAttributes has a key/);
    const configuration = { task_routing: { filters: [{ filter_friendly_name: '\ud800', expression: '1==1', targets: [{ queue: 'WQ1' }] }] } };
    expect(refusal({ Configuration: JSON.stringify(configuration) }).message)
      .toMatch(/^Configuration has a string that is not valid text at "task_routing.filters\[0\].filter_friendly_name"/);
  });

  it('measures UTF-8 like Buffer.byteLength for any well-formed string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (value) => {
      expect(utf8Length(value)).toBe(Buffer.byteLength(value));
    }));
  });
});
