/**
 * The table of malformed inputs of scenario 5: what is sent, to which route, and which error code the
 * framework must answer with (every one is logged and dead-lettered; none may crash or disconnect).
 */
import type { Outgoing } from '../lib/load-generator';

export interface MalformedCase {
  readonly name: string;
  readonly description: string;
  /** Error codes accepted; `none` for a handler's own error without a code. */
  readonly codes: readonly string[];
  /** Builds one message; `key` is unique per message and is a level of its topic. */
  readonly build: (key: string) => Outgoing;
}

/** The app's limit (MAX_PAYLOAD_BYTES), set by the scenario. */
export const MAX_PAYLOAD_BYTES = 65_536;

const dto = (key: string, payload: Buffer | string): Outgoing => ({ topic: `dto/${key}/reading`, payload });
const relay = (key: string, target: string): Outgoing => ({
  topic: `relay/${key}`,
  payload: JSON.stringify({ id: key, target }),
});
const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

export const MALFORMED_CASES: readonly MalformedCase[] = [
  {
    name: 'too-large',
    description: `payload of 70,000 bytes, above MAX_PAYLOAD_BYTES (${MAX_PAYLOAD_BYTES})`,
    codes: ['ERR_PAYLOAD_TOO_LARGE'],
    build: (key) => dto(key, JSON.stringify({ id: key, temperature: 1, pad: 'x'.repeat(70_000) })),
  },
  {
    name: 'not-json',
    description: 'DTO route: text that is not JSON',
    codes: ['ERR_PAYLOAD_INVALID'],
    build: (key) => dto(key, `temperature=21;id=${key}`),
  },
  {
    name: 'invalid-utf8',
    description: 'DTO route: invalid UTF-8 bytes (C3 28 FF)',
    codes: ['ERR_PAYLOAD_INVALID'],
    build: (key) =>
      dto(key, Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`{"id":"${key}"}`)])),
  },
  {
    name: 'proto-key',
    description: 'DTO route: {"__proto__":{"x":1}, ...}',
    codes: ['ERR_PAYLOAD_INVALID'],
    build: (key) => dto(key, `{"__proto__":{"x":1},"id":"${key}","temperature":1}`),
  },
  {
    name: 'constructor-prototype',
    description: 'DTO route: {"constructor":{"prototype":{"x":1}}, ...}',
    codes: ['ERR_PAYLOAD_INVALID'],
    build: (key) => dto(key, `{"constructor":{"prototype":{"x":1}},"id":"${key}","temperature":1}`),
  },
  {
    name: 'wrong-types',
    description: 'DTO route: {"temperature":"hot"} where a number is required',
    codes: ['ERR_VALIDATION_FAILED'],
    build: (key) => dto(key, JSON.stringify({ id: key, temperature: 'hot' })),
  },
  {
    name: 'unknown-property',
    description: 'DTO route: a property the DTO does not declare ({"admin":true})',
    codes: ['ERR_VALIDATION_FAILED'],
    build: (key) => dto(key, JSON.stringify({ id: key, temperature: 1, admin: true })),
  },
  {
    name: 'empty',
    description: 'DTO route: empty payload',
    codes: ['ERR_PAYLOAD_INVALID'],
    build: (key) => dto(key, ''),
  },
  {
    name: 'not-an-object',
    description: 'DTO route: JSON that is not an object ([1,2,3])',
    codes: ['ERR_PAYLOAD_INVALID'],
    build: (key) => dto(key, '[1,2,3]'),
  },
  {
    name: 'deep-nesting',
    description: 'DTO route: an array nested 10,000 deep (20 KB)',
    codes: ['ERR_PAYLOAD_INVALID', 'ERR_VALIDATION_FAILED'],
    build: (key) => dto(key, `{"id":"${key}","temperature":${nested(10_000)}}`),
  },
  {
    name: 'publish-plus',
    description: 'handler publishes to alerts/${target}/state with target "+"',
    codes: ['ERR_PUBLISH_TOPIC_INVALID'],
    build: (key) => relay(key, '+'),
  },
  {
    name: 'publish-hash',
    description: 'handler publishes to alerts/${target}/state with target "a/#"',
    codes: ['ERR_PUBLISH_TOPIC_INVALID'],
    build: (key) => relay(key, 'a/#'),
  },
  {
    name: 'publish-nul',
    description: 'handler publishes to alerts/${target}/state with a NUL in target',
    codes: ['ERR_PUBLISH_TOPIC_INVALID'],
    build: (key) => relay(key, 'a\u0000b'),
  },
  {
    name: 'reply-wildcard',
    description: 'reply to an MQTT 5 response topic "answers/+" (Mosquitto forwards it)',
    codes: ['ERR_PUBLISH_TOPIC_INVALID'],
    build: (key) => ({
      topic: `ask/${key}`,
      payload: JSON.stringify({ id: key }),
      properties: { responseTopic: 'answers/+' },
    }),
  },
  {
    name: 'handler-type-error',
    description: 'plain route: a payload the handler rejects (TypeError, retried, then dead-lettered)',
    codes: ['none'],
    build: (key) => ({ topic: `plain/${key}`, payload: '{"no":"id"}' }),
  },
];

/** A valid message for one of the four routes, in turn: the traffic between the malformed ones. */
export function validMessage(n: number): Outgoing {
  const id = `ok-${n}`;
  switch (n % 4) {
    case 0:
      return { ...dto(id, JSON.stringify({ id, temperature: 21.5 })), id };
    case 1:
      return { ...relay(id, `dev-${n}`), id };
    case 2:
      return {
        topic: `ask/${id}`,
        id,
        payload: JSON.stringify({ id }),
        properties: { responseTopic: `answers/${id}` },
      };
    default:
      return { topic: `plain/${id}`, id, payload: JSON.stringify({ id }) };
  }
}
