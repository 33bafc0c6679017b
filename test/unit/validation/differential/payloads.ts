/**
 * Payloads for the differential test, from a seeded generator: valid ones, near-valid ones (a valid
 * payload with one to three mutations: a value swapped for an awkward one, a key removed or added)
 * and hostile ones (random JSON that reuses the DTO's keys). Every payload goes through a JSON round
 * trip, so that both validators see what `JSON.parse` gives them in production.
 */

/** mulberry32: a small seeded generator, so that a failure can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ValidSample = (random: Random) => { [key: string]: Json };

export const pick = <T>(random: Random, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)];
export const int = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

const CHARS = ['a', 'b', 'Z', '0', ' ', 'é', '\u{1F600}', '\uFE0F', 'e\u0301', '\u0000', '"', '\\'];
export function text(random: Random, min: number, max: number): string {
  let out = '';
  for (let i = int(random, min, max); i > 0; i--) out += pick(random, CHARS);
  return out;
}

/** Values chosen to sit on the edges of the rules: types, bounds, lengths, members of sets. */
const AWKWARD: readonly Json[] = [
  null,
  0,
  -0,
  1,
  -1,
  1.5,
  2.555,
  10,
  10.5,
  11,
  100,
  100.001,
  125,
  126,
  -40,
  -41,
  1e21,
  -1e21,
  2 ** 53,
  '',
  'a',
  'ab',
  'abc',
  'abcd',
  'abcdefgh',
  'abcdefghi',
  '12',
  'true',
  'ok',
  'warn',
  'fail',
  'auto',
  'manual',
  '\u{1F600}\u{1F600}',
  'a\uFE0F',
  'a\uFE0Fb',
  '\uFE0F',
  true,
  false,
  3,
  [],
  [1],
  [11],
  ['a'],
  ['abcd'],
  [1, 'a'],
  [null],
  {},
  { lat: 1, lon: 2 },
  { lat: 91, lon: 0 },
  [{ lat: 1, lon: 2 }],
  [{}],
  [[]],
];

/** Extra keys: names class-transformer skips (methods of Object), numeric names, the DTO's own. */
const EXTRA_KEYS = [
  'extra',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '0',
  '10',
  'label',
  'note',
  'lat',
];

export function randomJson(random: Random, keys: readonly string[], depth: number): Json {
  const roll = random();
  if (depth <= 0 || roll < 0.5) return pick(random, AWKWARD);
  if (roll < 0.7) return Array.from({ length: int(random, 0, 3) }, () => randomJson(random, keys, depth - 1));
  const object: { [key: string]: Json } = {};
  for (let i = int(random, 0, 5); i > 0; i--) {
    object[pick(random, random() < 0.7 ? keys : EXTRA_KEYS)] = randomJson(random, keys, depth - 1);
  }
  return object;
}

/** One mutation somewhere in `value`: swap a value, remove a key, add a key. */
function mutate(random: Random, value: Json, keys: readonly string[]): Json {
  if (Array.isArray(value)) {
    if (value.length === 0 || random() < 0.3) return [...value, randomJson(random, keys, 1)];
    const index = int(random, 0, value.length - 1);
    const copy = [...value];
    copy[index] = random() < 0.5 ? mutate(random, copy[index], keys) : pick(random, AWKWARD);
    return copy;
  }
  if (value === null || typeof value !== 'object') return pick(random, AWKWARD);
  const copy = { ...value };
  const present = Object.keys(copy);
  const roll = random();
  if (present.length === 0 || roll < 0.15) copy[pick(random, EXTRA_KEYS)] = randomJson(random, keys, 1);
  else if (roll < 0.3) delete copy[pick(random, present)];
  else {
    const key = pick(random, present);
    copy[key] = random() < 0.4 ? mutate(random, copy[key], keys) : pick(random, AWKWARD);
  }
  return copy;
}

/** `count` payloads: 30 % valid, 50 % near-valid, 20 % hostile. */
export function* payloads(
  seed: number,
  count: number,
  valid: ValidSample,
  keys: readonly string[],
): Generator<unknown> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const roll = random();
    let payload: Json;
    if (roll < 0.3) payload = valid(random);
    else if (roll < 0.8) {
      payload = valid(random);
      for (let m = int(random, 1, 3); m > 0; m--) payload = mutate(random, payload, keys);
    } else {
      payload = randomJson(random, keys, 3);
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
        payload = { [pick(random, keys)]: payload };
    }
    yield JSON.parse(JSON.stringify(payload));
  }
}
