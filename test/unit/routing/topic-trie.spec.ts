import { TopicTrie } from '../../../src/routing/topic-trie';

/** Does a trie holding only `filter` match `topic`? */
function matches(filter: string, topic: string): boolean {
  const trie = new TopicTrie<string>();
  trie.insert(filter, filter);
  return trie.match(topic).length === 1;
}

describe('TopicTrie: MQTT matching rules', () => {
  // Section numbers are MQTT 3.1.1 / 5.0 section 4.7; the bracketed ids are its normative clauses.
  it.each<[string, string, string, boolean]>([
    ['sport/# matches sport [MQTT-4.7.1-2]', 'sport/#', 'sport', true],
    ['sport/# matches sport/ [MQTT-4.7.1-2]', 'sport/#', 'sport/', true],
    [
      'sport/tennis/player1/# matches its parent level [MQTT-4.7.1-2]',
      'sport/tennis/player1/#',
      'sport/tennis/player1',
      true,
    ],
    [
      'sport/tennis/player1/# matches one level below [MQTT-4.7.1-2]',
      'sport/tennis/player1/#',
      'sport/tennis/player1/ranking',
      true,
    ],
    [
      'sport/tennis/player1/# matches two levels below [MQTT-4.7.1-2]',
      'sport/tennis/player1/#',
      'sport/tennis/player1/score/wimbledon',
      true,
    ],
    [
      'sport/tennis/player1/# does not match a sibling (4.7.1.2)',
      'sport/tennis/player1/#',
      'sport/tennis/player2',
      false,
    ],
    ['sport/# does not match sports (4.7.1.2)', 'sport/#', 'sports', false],
    ['# matches a one-level topic (4.7.1.2)', '#', 'a', true],
    ['# matches a deep topic (4.7.1.2)', '#', 'a/b/c/d', true],
    ['# matches a topic with empty levels (4.7.1.2)', '#', '/', true],
    ['sport/tennis/+ matches sport/tennis/player1 (4.7.1.3)', 'sport/tennis/+', 'sport/tennis/player1', true],
    [
      'sport/tennis/+ does not match two levels below (4.7.1.3)',
      'sport/tennis/+',
      'sport/tennis/player1/ranking',
      false,
    ],
    ['sport/+ does not match sport (4.7.1.3)', 'sport/+', 'sport', false],
    ['sport/+ matches sport/ (empty level) (4.7.1.3)', 'sport/+', 'sport/', true],
    ['+/+ matches /finance (4.7.1.3)', '+/+', '/finance', true],
    ['/+ matches /finance (4.7.1.3)', '/+', '/finance', true],
    ['+ does not match /finance (4.7.1.3)', '+', '/finance', false],
    ['+ matches a one-level topic (4.7.1.3)', '+', 'finance', true],
    ['+/tennis/# matches sport/tennis/player1 (4.7.1.3)', '+/tennis/#', 'sport/tennis/player1', true],
    ['+/+/+ matches a//b (empty level) (4.7.1.3)', '+/+/+', 'a//b', true],
    ['a/+/b matches a//b (4.7.1.3)', 'a/+/b', 'a//b', true],
    ['a//b matches a//b (4.7.1.3)', 'a//b', 'a//b', true],
    ['/# matches / (4.7.1.2)', '/#', '/', true],
    ['# does not match $SYS/x [MQTT-4.7.2-1]', '#', '$SYS/x', false],
    ['# does not match $SYS [MQTT-4.7.2-1]', '#', '$SYS', false],
    ['+ does not match $SYS [MQTT-4.7.2-1]', '+', '$SYS', false],
    [
      '+/monitor/Clients does not match $SYS/monitor/Clients [MQTT-4.7.2-1]',
      '+/monitor/Clients',
      '$SYS/monitor/Clients',
      false,
    ],
    ['+/# does not match $SYS/x [MQTT-4.7.2-1]', '+/#', '$SYS/x', false],
    ['$SYS/# matches $SYS/monitor/Clients [MQTT-4.7.2-1]', '$SYS/#', '$SYS/monitor/Clients', true],
    ['$SYS/# matches $SYS [MQTT-4.7.2-1]', '$SYS/#', '$SYS', true],
    [
      '$SYS/monitor/+ matches $SYS/monitor/Clients [MQTT-4.7.2-1]',
      '$SYS/monitor/+',
      '$SYS/monitor/Clients',
      true,
    ],
    ['the $ rule applies to the first level only: a/+ matches a/$x [MQTT-4.7.2-1]', 'a/+', 'a/$x', true],
    ['the $ rule applies to the first level only: a/# matches a/$x [MQTT-4.7.2-1]', 'a/#', 'a/$x', true],
    ['topic names are case sensitive: ACCOUNTS vs Accounts (4.7.3)', 'ACCOUNTS', 'Accounts', false],
    ['topic names are case sensitive: sensors/+ vs Sensors/x (4.7.3)', 'sensors/+', 'Sensors/x', false],
    ['a space is an ordinary character (4.7.3)', 'Accounts payable', 'Accounts payable', true],
    ['a literal filter does not match a longer topic', 'a/b', 'a/b/c', false],
    ['a literal filter does not match a shorter topic', 'a/b', 'a', false],
    ['a literal filter does not match a trailing empty level', 'a/b', 'a/b/', false],
  ])('%s', (_name, filter, topic, expected) => {
    expect(matches(filter, topic)).toBe(expected);
  });
});

describe('TopicTrie: values, order and size', () => {
  it('returns every matching value in insertion order, whatever the filter kind', () => {
    const trie = new TopicTrie<string>();
    trie.insert('a/#', 'hash-under-a');
    trie.insert('a/b', 'literal');
    trie.insert('#', 'hash');
    trie.insert('a/+', 'plus');
    trie.insert('+/b', 'plus-first');
    trie.insert('a/c', 'other');
    expect(trie.match('a/b')).toEqual(['hash-under-a', 'literal', 'hash', 'plus', 'plus-first']);
  });

  it('keeps insertion order when the filters were inserted in the opposite order', () => {
    const trie = new TopicTrie<number>();
    ['+/b', 'a/+', '#', 'a/b', 'a/#'].forEach((filter, index) => trie.insert(filter, index));
    expect(trie.match('a/b')).toEqual([0, 1, 2, 3, 4]);
  });

  it('returns several values stored under the same filter, in insertion order', () => {
    const trie = new TopicTrie<string>();
    trie.insert('sensors/+/data', 'first');
    trie.insert('sensors/+/data', 'second');
    expect(trie.match('sensors/t1/data')).toEqual(['first', 'second']);
  });

  it('returns a value once even when several of its filters match', () => {
    const value = { name: 'shared' };
    const trie = new TopicTrie<{ name: string }>();
    trie.insert('a/+', value);
    trie.insert('a/b', { name: 'other' });
    trie.insert('#', value);
    trie.insert('a/b', value);
    expect(trie.match('a/b')).toEqual([value, { name: 'other' }]);
    expect(trie.size).toBe(4);
  });

  it('counts every insertion in size', () => {
    const trie = new TopicTrie<number>();
    expect(trie.size).toBe(0);
    trie.insert('a', 1);
    trie.insert('a', 2);
    trie.insert('b/#', 3);
    expect(trie.size).toBe(3);
  });

  it('returns an empty array when nothing matches, and a fresh array on every call', () => {
    const trie = new TopicTrie<number>();
    expect(trie.match('a')).toEqual([]);
    trie.insert('a', 1);
    const first = trie.match('a');
    first.push(99);
    expect(trie.match('a')).toEqual([1]);
    expect(trie.match('b')).toEqual([]);
  });

  it('matchLevels gives the same answer as match on the split topic', () => {
    const trie = new TopicTrie<string>();
    for (const filter of ['#', '$SYS/#', 'a/+', 'a/b/#', '+/+']) trie.insert(filter, filter);
    for (const topic of ['a/b', '$SYS/x', 'a/b/c', '/x', 'a']) {
      expect(trie.matchLevels(topic.split('/'))).toEqual(trie.match(topic));
    }
  });
});
