import { TaskRouterError } from '../errors/taskrouter-error';
import { checkJsonDocument, MAX_JSON_DEPTH } from './json-document';

function message(source: string): string {
  try {
    checkJsonDocument(source, 'Attributes');
  } catch (error) {
    if (error instanceof TaskRouterError && error.status === 400) return error.message;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

describe('checking a JSON document parameter', () => {
  it.each([
    ['{"name":"\\u0000"}', /Attributes has a string that is not valid text at "name": it contains a NUL/],
    ['{"a":{"b":["ok","\\ud800"]}}', /at "a.b\[1\]": it contains a lone UTF-16 surrogate/],
    ['{"\\udc00":1}', /Attributes has a key that is not valid text in "\(the document\)"/],
    ['{"a":{"k\\u0000":true}}', /has a key that is not valid text in "a"/],
    ['"\\ud800"', /at "\(the document\)"/],
  ])('refuses %s, naming where', (source, expected) => {
    expect(message(source)).toMatch(expected);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, and takes ${MAX_JSON_DEPTH}`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(checkJsonDocument(nested(MAX_JSON_DEPTH), 'Attributes')).toEqual({ document: expect.anything() });
    expect(message(nested(MAX_JSON_DEPTH + 1))).toMatch(/nested more than 64 levels/);
  });

  it('leaves a document that is not JSON to the resource’s own parser', () => {
    expect(checkJsonDocument('{"a":', 'Attributes')).toBeUndefined();
  });

  it('accepts surrogate pairs spelt as escapes, and __proto__ as a key', () => {
    const checked = checkJsonDocument('{"emoji":"\\ud83d\\ude00","__proto__":{"x":1}}', 'Attributes');
    expect(checked?.document).toEqual(JSON.parse('{"emoji":"😀","__proto__":{"x":1}}'));
  });
});
