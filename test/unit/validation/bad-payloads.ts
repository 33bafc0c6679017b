/**
 * The bad payloads every DTO route must refuse, with the error code and a fragment of the message.
 * @module
 */
const MiB = 1024 * 1024;

/** Bad payloads of the strict route: each fails with its code and a message naming what and where. */
export const BAD_PAYLOADS: ReadonlyArray<[name: string, payload: unknown, code: string, fragment: string]> = [
  [
    'a wrong type',
    { temperature: 'hot' },
    'ERR_VALIDATION_FAILED',
    'temperature: temperature must be a number',
  ],
  ['a missing field', { humidity: 20 }, 'ERR_VALIDATION_FAILED', 'temperature: temperature must be a number'],
  [
    'an extra field',
    { temperature: 20, extra: 1 },
    'ERR_VALIDATION_FAILED',
    'extra: property extra should not exist',
  ],
  [
    'a value out of range',
    { temperature: 20, humidity: 140 },
    'ERR_VALIDATION_FAILED',
    'humidity must not be greater than 100',
  ],
  [
    'a bad nested value',
    { temperature: 20, location: { lat: 'x', lon: 1 } },
    'ERR_VALIDATION_FAILED',
    'location.lat: lat must be a number',
  ],
  ['an empty payload', '', 'ERR_PAYLOAD_INVALID', 'the payload is empty'],
  ['text that is not JSON', 'not json', 'ERR_PAYLOAD_INVALID', 'the payload is not JSON'],
  ['truncated JSON', '{"temperature": 2', 'ERR_PAYLOAD_INVALID', 'the payload is not JSON'],
  ['a JSON array', '[{"temperature": 1}]', 'ERR_PAYLOAD_INVALID', 'JSON an array, not a JSON object'],
  ['JSON null', 'null', 'ERR_PAYLOAD_INVALID', 'JSON null, not a JSON object'],
  ['a JSON number', '42', 'ERR_PAYLOAD_INVALID', 'JSON a number, not a JSON object'],
  [
    'invalid UTF-8',
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    'ERR_PAYLOAD_INVALID',
    'not valid UTF-8',
  ],
  [
    'an overlong UTF-8 sequence',
    Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]),
    'ERR_PAYLOAD_INVALID',
    'not valid UTF-8',
  ],
  [
    '__proto__ at the top',
    '{"temperature":1,"__proto__":{"polluted":true}}',
    'ERR_PAYLOAD_INVALID',
    'key "__proto__" at __proto__',
  ],
  [
    '__proto__ nested',
    '{"temperature":1,"location":{"lat":1,"lon":2,"__proto__":{"polluted":true}}}',
    'ERR_PAYLOAD_INVALID',
    'at location.__proto__',
  ],
  [
    '__proto__ spelled with escapes',
    '{"temperature":1,"\\u005f_proto__":{"polluted":true}}',
    'ERR_PAYLOAD_INVALID',
    'key "__proto__"',
  ],
  [
    'constructor.prototype at the top',
    '{"temperature":1,"constructor":{"prototype":{"polluted":true}}}',
    'ERR_PAYLOAD_INVALID',
    'key "constructor" at constructor',
  ],
  [
    'prototype inside an array',
    '{"temperature":1,"tags":[{"prototype":{"polluted":true}}]}',
    'ERR_PAYLOAD_INVALID',
    'at tags.0.prototype',
  ],
  [
    'a 1 MiB string in a declared field',
    { temperature: 1, label: 'x'.repeat(MiB) },
    'ERR_VALIDATION_FAILED',
    'label must be shorter than or equal to 64 characters',
  ],
  [
    'a 1 MiB undeclared field',
    { temperature: 1, note: 'x'.repeat(MiB) },
    'ERR_VALIDATION_FAILED',
    'property note should not exist',
  ],
  [
    'a 1 MiB string as the whole payload',
    JSON.stringify('x'.repeat(MiB)),
    'ERR_PAYLOAD_INVALID',
    'JSON a string, not a JSON object',
  ],
  [
    'deeply nested extras',
    `{"temperature":1,"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    'ERR_PAYLOAD_INVALID',
    'nesting deeper than 32 levels (MAX_JSON_DEPTH)',
  ],
];
