/**
 * External topic-matching test vectors, run through the whole template layer: the filter is written as
 * a route template, compiled, joined into a route table and matched the way a delivery is.
 *
 * Sources (the facts are theirs, the table is ours):
 * - `mosquitto`: Eclipse Mosquitto, test/unit/util_topic_test.c (mosquitto_topic_matches_sub cases)
 * - `mqtt-match`: the mqtt-match npm package's test suite (RangerMauve/mqtt-match)
 * - `mqtt-pattern`: the mqtt-pattern npm package's test suite (RangerMauve/mqtt-pattern); its `+name`
 *   and `#name` become `{name}` and `{name*}` here
 * - `spec`: the examples of MQTT 5.0 section 4.7 (and 3.1.1 section 4.7, the same text)
 */
import { RouteTable } from '../../../src/routing/route-table';
import { parseTemplate } from '../../../src/routing/topic-template';
import { matchesFilter } from '../../../src/routing/topic-filter';

type Source = 'mosquitto' | 'mqtt-match' | 'mqtt-pattern' | 'spec';

/** [source, filter (as a template), topic name, whether it matches] */
const MATCHING: ReadonlyArray<[Source, string, string, boolean]> = [
  // mosquitto: valid matching
  ['mosquitto', 'foo/#', 'foo/', true],
  ['mosquitto', 'foo/#', 'foo', true],
  ['mosquitto', 'foo//bar', 'foo//bar', true],
  ['mosquitto', 'foo//+', 'foo//bar', true],
  ['mosquitto', 'foo/+/+/baz', 'foo///baz', true],
  ['mosquitto', 'foo/bar/+', 'foo/bar/', true],
  ['mosquitto', 'foo/bar', 'foo/bar', true],
  ['mosquitto', 'foo/+', 'foo/bar', true],
  ['mosquitto', 'foo/+/baz', 'foo/bar/baz', true],
  ['mosquitto', 'A/B/+/#', 'A/B/B/C', true],
  ['mosquitto', 'foo/+/#', 'foo/bar/baz', true],
  ['mosquitto', 'foo/+/#', 'foo/bar', true],
  ['mosquitto', '#', 'foo/bar/baz', true],
  ['mosquitto', '#', '/foo/bar', true],
  ['mosquitto', '/#', '/foo/bar', true],
  // mosquitto: valid, not matching
  ['mosquitto', 'test/6/#', 'test/3', false],
  ['mosquitto', 'foo/bar', 'foo', false],
  ['mosquitto', 'foo/+', 'foo/bar/baz', false],
  ['mosquitto', 'foo/+/baz', 'foo/bar/bar', false],
  ['mosquitto', 'foo/+/#', 'fo2/bar/baz', false],
  ['mosquitto', '/#', 'foo/bar', false],
  ['mosquitto', '#', '$SYS/bar', false],
  ['mosquitto', '$BOB/bar', '$SYS/bar', false],
  // mqtt-match
  ['mqtt-match', 'test/topic', 'test/topic', true],
  ['mqtt-match', 'test/topic', 'test/other', false],
  ['mqtt-match', 'test/+', 'test/topic', true],
  ['mqtt-match', 'test/+', 'test/topic/deeper', false],
  ['mqtt-match', 'test/#', 'test/topic/deeper', true],
  ['mqtt-match', 'test/#', 'test', true],
  ['mqtt-match', 'test/+/deeper', 'test/topic/deeper', true],
  ['mqtt-match', '+/+', '/', true],
  ['mqtt-match', '+', '/', false],
  ['mqtt-match', '/+', '/foo', true],
  ['mqtt-match', '+', 'foo', true],
  ['mqtt-match', '#', '$SYS/foo', false],
  ['mqtt-match', '+/foo', '$SYS/foo', false],
  ['mqtt-match', '$SYS/#', '$SYS/foo', true],
  ['mqtt-match', '$SYS/+', '$SYS/foo', true],
  ['mqtt-match', 'sub//topic/#', 'sub//topic/x', true],
  ['mqtt-match', 'sub//topic/#', 'sub/topic/x', false],
  // mqtt-pattern (matches)
  ['mqtt-pattern', 'foo/bar/baz', 'foo/bar/baz', true],
  ['mqtt-pattern', 'foo/{bar}/baz', 'foo/bar/baz', true],
  ['mqtt-pattern', 'foo/{bar*}', 'foo/bar/baz', true],
  ['mqtt-pattern', 'foo/{bar}/{baz*}', 'foo/bar/baz/qux', true],
  ['mqtt-pattern', 'foo/{bar}', 'foo/bar/baz', false],
  ['mqtt-pattern', 'foo/bar/baz', 'foo/bar', false],
  // spec examples (MQTT 5.0 section 4.7.1.2 and 4.7.1.3, 4.7.2)
  ['spec', 'sport/tennis/player1/#', 'sport/tennis/player1', true],
  ['spec', 'sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
  ['spec', 'sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
  ['spec', 'sport/#', 'sport', true],
  ['spec', 'sport/tennis/+', 'sport/tennis/player1', true],
  ['spec', 'sport/tennis/+', 'sport/tennis/player1/ranking', false],
  ['spec', 'sport/+', 'sport', false],
  ['spec', 'sport/+', 'sport/', true],
  ['spec', '+/+', '/finance', true],
  ['spec', '/+', '/finance', true],
  ['spec', '+', '/finance', false],
  ['spec', '/finance', 'finance', false],
  ['spec', 'finance', '/finance', false],
  ['spec', '$SYS/monitor/+', '$SYS/monitor/Clients', true],
  ['spec', '+/monitor/Clients', '$SYS/monitor/Clients', false],
  ['spec', 'ACCOUNTS', 'Accounts', false],
];

/** Filters the sources call invalid: a template with them is refused at boot. */
const INVALID: ReadonlyArray<[Source, string]> = [
  ['mosquitto', '+foo'],
  ['mosquitto', 'fo+o'],
  ['mosquitto', 'foo+'],
  ['mosquitto', '+foo/bar'],
  ['mosquitto', 'foo+/bar'],
  ['mosquitto', 'foo/+bar'],
  ['mosquitto', 'foo/bar+'],
  ['mosquitto', '#foo'],
  ['mosquitto', 'fo#o'],
  ['mosquitto', 'foo#'],
  ['mosquitto', '#foo/bar'],
  ['mosquitto', 'foo#/bar'],
  ['mosquitto', 'foo/#bar'],
  ['mosquitto', 'foo/bar#'],
  ['mosquitto', 'fo#o/'],
  ['mosquitto', 'foo/#a'],
  ['mosquitto', '#a'],
  ['mosquitto', 'foo/#abc'],
  ['mosquitto', '/#a'],
  ['mosquitto', ''],
  ['spec', 'sport/tennis#'],
  ['spec', 'sport/tennis/#/ranking'],
  ['spec', 'sport+'],
];

/** [source, template, topic, parameters] for templates with named levels. */
const PARAMS: ReadonlyArray<[Source, string, string, Record<string, string>]> = [
  ['mqtt-pattern', 'foo/{bar}/baz', 'foo/bar/baz', { bar: 'bar' }],
  ['mqtt-pattern', 'foo/{bar*}', 'foo/bar/baz', { bar: 'bar/baz' }],
  ['mqtt-pattern', 'foo/{bar}/{baz*}', 'foo/bar/baz/qux', { bar: 'bar', baz: 'baz/qux' }],
  ['mqtt-pattern', '{a}/{b}/{c}', 'x/y/z', { a: 'x', b: 'y', c: 'z' }],
  ['mqtt-pattern', 'foo/{bar*}', 'foo', { bar: '' }],
  // A `{param}` on a zero-length level captures '' (the rule in docs/routing.md).
  ['mosquitto', 'foo/{a}/{b}/baz', 'foo///baz', { a: '', b: '' }],
  ['spec', '{first}/{second}', '/finance', { first: '', second: 'finance' }],
];

function tableOf(template: string): RouteTable<string> {
  const result = parseTemplate(template);
  if (!result.ok) throw new Error(`${template} was refused: ${result.errors.join('; ')}`);
  return new RouteTable([{ compiled: result.compiled, qos: 1, route: template }]);
}

describe('topic matching vectors through templates and the route table (MQTT 5.0 section 4.7)', () => {
  it.each(MATCHING)('[%s] %p against %p matches: %p', (_source, filter, topic, matches) => {
    const table = tableOf(filter);
    // Subscribed as written: no slash trimmed, no empty level dropped.
    const [subscribed] = table.subscriptions.map((s) => s.topic);
    expect(subscribed).toBe(filter.replace(/\{\w+\*\}/g, '#').replace(/\{\w+\}/g, '+'));
    expect(table.match(topic).length > 0).toBe(matches);
    // The reference statement of the rules agrees with the trie.
    expect(matchesFilter(subscribed, topic)).toBe(matches);
  });

  it.each(INVALID)('[%s] %p is refused at boot', (_source, filter) => {
    expect(parseTemplate(filter).ok).toBe(false);
  });

  it.each(PARAMS)('[%s] %p on %p captures %p', (_source, template, topic, params) => {
    const [match] = tableOf(template).match(topic);
    expect({ ...match.params }).toEqual(params);
  });
});
