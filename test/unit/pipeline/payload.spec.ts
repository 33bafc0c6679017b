import { decodePayload } from '../../../src/pipeline/payload';

describe('decodePayload (@Payload() without a DTO)', () => {
  it.each([
    ['{"temperature":72}', { temperature: 72 }],
    ['[1,2]', [1, 2]],
    ['72', 72],
    ['"text"', 'text'],
    [' {"a":1}', { a: 1 }],
    ['true', true],
    ['null', null],
  ])('parses JSON %s', (text, expected) => {
    expect(decodePayload(Buffer.from(text))).toEqual(expected);
  });

  it.each([['hello'], ['{not json'], ['\u0000\u0001binary']])(
    'gives the raw Buffer for non-JSON %j',
    (text) => {
      const raw = Buffer.from(text);
      const decoded = decodePayload(raw);
      expect(Buffer.isBuffer(decoded)).toBe(true);
      expect(decoded).toBe(raw);
    },
  );

  it('gives an empty Buffer for an empty payload', () => {
    expect(decodePayload(Buffer.alloc(0))).toEqual(Buffer.alloc(0));
  });
});
