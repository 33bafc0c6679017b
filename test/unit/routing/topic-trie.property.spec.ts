import { matchesFilter } from '../../../src/routing/topic-filter';
import { TopicTrie } from '../../../src/routing/topic-trie';

/** Deterministic 32-bit generator (mulberry32): the same seed gives the same cases on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A small alphabet makes collisions (and so matches) frequent; it holds the edge cases on purpose:
// empty levels, `$` levels and two spellings that differ only in case.
const LEVELS = ['a', 'b', 'A', '', '$SYS', '$x'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function randomTopic(random: () => number): string {
  const depth = 1 + Math.floor(random() * 5);
  return Array.from({ length: depth }, () => pick(random, LEVELS)).join('/');
}

function randomFilter(random: () => number): string {
  const depth = 1 + Math.floor(random() * 4);
  const levels = Array.from({ length: depth }, () => {
    const roll = random();
    if (roll < 0.25) return '+';
    return pick(random, LEVELS);
  });
  if (random() < 0.3) levels.push('#');
  else if (random() < 0.05) return '#';
  return levels.join('/');
}

describe('TopicTrie agrees with the reference matchesFilter', () => {
  it.each([1, 7, 42, 2024, 65535])('seed %d: 400 filters x 2000 topics', (seed) => {
    const random = seededRandom(seed);
    const filters = Array.from({ length: 400 }, () => randomFilter(random));
    const trie = new TopicTrie<number>();
    filters.forEach((filter, index) => trie.insert(filter, index));
    let matched = 0;
    for (let i = 0; i < 2000; i++) {
      const topic = randomTopic(random);
      const expected = filters.flatMap((filter, index) => (matchesFilter(filter, topic) ? [index] : []));
      expect({ topic, values: trie.match(topic) }).toEqual({ topic, values: expected });
      matched += expected.length;
    }
    // Guards the generator: a run where nothing ever matched would prove nothing.
    expect(matched).toBeGreaterThan(2000);
  });
});
