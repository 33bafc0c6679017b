import { findForbiddenKey, parseJsonObject } from '../../../src/validation/safe-json';

const parse = (text: string | Buffer) =>
  parseJsonObject(typeof text === 'string' ? Buffer.from(text) : text, 'Test.route');

describe('parseJsonObject (the DTO decoder)', () => {
  it('returns the plain object of a valid payload', () => {
    expect(parse('{"a":1,"b":{"c":[1,2]}}')).toEqual({ a: 1, b: { c: [1, 2] } });
  });

  it('accepts names that merely contain a forbidden word', () => {
    expect(parse('{"constructorName":"x","prototypes":1,"my__proto__":2}')).toEqual({
      constructorName: 'x',
      prototypes: 1,
      my__proto__: 2,
    });
  });

  it('accepts forbidden words as values, and \\u escapes of ordinary text', () => {
    expect(parse('{"note":"__proto__ constructor prototype","city":"Z\\u00fcrich"}')).toEqual({
      note: '__proto__ constructor prototype',
      city: 'Zürich',
    });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]))).toEqual({ a: 1 });
  });

  it.each([
    ['{"__proto__":{"x":1}}', '__proto__'],
    ['{"a":{"b":{"constructor":{}}}}', 'a.b.constructor'],
    ['{"a":[0,[{"prototype":1}]]}', 'a.1.0.prototype'],
    ['{"\\u0063onstructor":{"prototype":{}}}', 'constructor'],
  ])('refuses %s, naming the path %s', (text, path) => {
    expect(() => parse(text)).toThrow(`at ${path},`);
  });
});

describe('findForbiddenKey', () => {
  it('walks 100 000 levels without overflowing the stack', () => {
    let value: unknown = JSON.parse('{"constructor":1}');
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(findForbiddenKey(value)).toBe(
      `${Array.from({ length: 100_000 }, () => '0').join('.')}.constructor`,
    );
  });

  it('finds nothing in clean values', () => {
    expect(findForbiddenKey({ a: [1, { b: 'constructor' }] })).toBeUndefined();
    expect(findForbiddenKey(null)).toBeUndefined();
  });
});
