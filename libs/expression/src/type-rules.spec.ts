// The type rules, as users meet them: through compiled expressions over task attributes.
// Each DOCS SILENT decision in docs/expressions.md has its test here.
import { compileExpression } from './compiler';
import { applyOperator } from './type-rules';

const evaluate = (source: string, task: Record<string, unknown> = {}) => compileExpression(source, { bareKeys: 'task' }).evaluate({ task });

describe('type rules', () => {
  describe('scalars', () => {
    it.each([
      ['1 == 1', true],
      ['1 == 1.0', true],
      ['0 != 1', true],
      ['"apple" != "orange"', true],
      ["'a' = \"a\"", true],
      ['2 > 1', true],
      ['2 >= 2', true],
      ['1 < 2', true],
      ['2 <= 1', false],
      ['true == true', true],
      ['true != false', true],
      ['"b" > "a"', true],
      ['"B" < "a"', true],
      ['-1 < 0', true],
    ])('%s is %s', (source, expected) => expect(evaluate(source)).toBe(expected));
  });

  describe('numeric strings compare as numbers against numbers', () => {
    it.each([
      ['skill > 5', { skill: '6' }, true],
      ['skill < 5', { skill: '6' }, false],
      ['skill == 6', { skill: '6.0' }, true],
      ['skill != 6', { skill: '6' }, false],
      ['skill >= "5"', { skill: 6 }, true],
      ['hour > 8', { hour: '08' }, false],
      ['hour >= 8', { hour: '08' }, true],
      ['skill > 5', { skill: 'six' }, false],
      ['skill < 5', { skill: 'six' }, false],
      ['skill == 6', { skill: ' 6' }, false],
      ['skill == 0', { skill: '' }, false],
    ])('%s with %j is %s', (source, task, expected) => expect(evaluate(source, task)).toBe(expected));

    it('compares two strings as strings, even when both look numeric', () => {
      expect(evaluate('a == "6.0"', { a: '6' })).toBe(false);
      expect(evaluate('a > "10"', { a: '9' })).toBe(true);
    });
  });

  describe('different types', () => {
    it('never makes different types equal (no boolean or string coercion)', () => {
      expect(evaluate('flag == "true"', { flag: true })).toBe(false);
      expect(evaluate('flag == 1', { flag: true })).toBe(false);
      expect(evaluate('flag != "true"', { flag: true })).toBe(true);
    });

    it('never orders booleans or values of different kinds', () => {
      expect(evaluate('true > false')).toBe(false);
      expect(evaluate('true < false')).toBe(false);
      expect(evaluate('"abc" > 1')).toBe(false);
      expect(evaluate('"abc" <= 1')).toBe(false);
    });
  });

  describe('string case (DOCS SILENT: case-sensitive)', () => {
    it('compares strings case-sensitively', () => {
      expect(evaluate("day == 'THU'", { day: 'Thu' })).toBe(false);
      expect(evaluate("day IN ['THU']", { day: 'Thu' })).toBe(false);
      expect(evaluate("name CONTAINS 'BAR'", { name: 'foobar' })).toBe(false);
    });
  });

  describe('null and missing keys (DOCS SILENT: presence test)', () => {
    it.each([
      ['missing == null', {}, true],
      ['missing != null', {}, false],
      ['present == null', { present: 1 }, false],
      ['present != null', { present: 1 }, true],
      ['present != null', { present: null }, false],
      ['present == null', { present: null }, true],
      ['list != null', { list: ['a'] }, true],
      ['list == null', { list: ['a'] }, false],
      ['object != null', { object: { a: 1 } }, true],
      ['null == null', {}, true],
      ['NULL != null', {}, false],
      ['missing == 1', {}, false],
      ['missing != 1', {}, true],
      ['missing != "x"', {}, true],
      ['missing > 1', {}, false],
      ['missing < 1', {}, false],
      ['missing <= 1', {}, false],
      ['missing >= 1', {}, false],
      ['missing CONTAINS "a"', {}, false],
      ['missing HAS "a"', {}, false],
      ['missing IN ["a"]', {}, false],
      ['missing NOT IN ["a"]', {}, true],
      ['missing IN ["a", null]', {}, true],
      ['list HAS null', { list: ['a', null] }, true],
      ['"a" IN missing', {}, false],
      ['"a" NOT IN missing', {}, false],
    ])('%s with %j is %s', (source, task, expected) => expect(evaluate(source, task)).toBe(expected));
  });

  describe('scalar operators on arrays are false', () => {
    it.each([
      ['skills == "support"', true],
      ['skills != "support"', true],
      ['skills > 1', true],
      ['skills CONTAINS "sup"', true],
      ['skills == skills', true],
      ['skills == ["support"]', true],
    ])('%s is false', (source) => expect(evaluate(source, { skills: ['support'] })).toBe(false));

    it('treats objects like arrays for scalar operators', () => {
      expect(evaluate('object == "x"', { object: { a: 1 } })).toBe(false);
      expect(evaluate('object != "x"', { object: { a: 1 } })).toBe(false);
    });
  });

  describe('array operators', () => {
    const task = { skills: ['support', 'sales', 7], language: 'fr', level: 3, id: '7' };
    it.each([
      ['skills HAS "support"', true],
      ['skills >- "sales"', true],
      ['skills HAS "billing"', false],
      ['skills HAS 7', true],
      ['skills HAS "7"', true],
      ['skills HAS ["support"]', false],
      ['language IN ["en", "fr"]', true],
      ['language <- ["en", "fr"]', true],
      ['language IN ["en", "es"]', false],
      ['language NOT IN ["en", "es"]', true],
      ['language NOT IN ["en", "fr"]', false],
      ['level IN [1, 2, 3]', true],
      ['level IN ["3"]', true],
      ['id IN [7]', true],
      ['"support" IN skills', true],
      ['"billing" NOT IN skills', true],
      ['language IN []', false],
      ['language NOT IN []', true],
    ])('%s is %s', (source, expected) => expect(evaluate(source, task)).toBe(expected));

    it.each([
      ['language HAS "fr"'],
      ['language IN "fr"'],
      ['language NOT IN "en"'],
      ['skills IN ["support"]'],
      ['skills NOT IN ["support"]'],
      ['level HAS 3'],
    ])('%s is false (array operator without an array on its array side, or an array on its scalar side)', (source) => {
      expect(evaluate(source, task)).toBe(false);
    });
  });

  describe('CONTAINS (DOCS SILENT: substring test)', () => {
    it.each([
      ['name CONTAINS "bar"', { name: 'foobar' }, true],
      ['name CONTAINS "baz"', { name: 'foobar' }, false],
      ['name CONTAINS ""', { name: 'foobar' }, true],
      ['phone CONTAINS 415', { phone: '+14155550100' }, true],
      ['code CONTAINS "41"', { code: 1415 }, true],
      ['flag CONTAINS "tr"', { flag: true }, false],
      ['list CONTAINS "a"', { list: ['a'] }, false],
    ])('%s with %j is %s', (source, task, expected) => expect(evaluate(source, task)).toBe(expected));
  });

  it('applyOperator is the single definition the compiler agrees with', () => {
    expect(applyOperator('>', '6', 5)).toBe(true);
    expect(applyOperator('NOT IN', null, ['a'])).toBe(true);
    expect(applyOperator('!=', ['a'], null)).toBe(true);
    expect(applyOperator('<=', Infinity, Infinity)).toBe(true);
    expect(applyOperator('<', NaN, 1)).toBe(false);
  });
});
