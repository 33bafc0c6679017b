import { RouteTable, type RouteTableEntry } from '../../../src/routing/route-table';
import { parseTemplate, type CompiledTemplate } from '../../../src/routing/topic-template';
import type { QoS } from '../../../src/transport/transport';

function compile(template: string): CompiledTemplate {
  const result = parseTemplate(template);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.compiled;
}

function entry(route: string, template: string, qos: QoS = 0, shareGroup?: string): RouteTableEntry<string> {
  return shareGroup === undefined
    ? { compiled: compile(template), qos, route }
    : { compiled: compile(template), qos, shareGroup, route };
}

/** The matched routes with their parameters as plain objects, for easy comparison. */
function matched(table: RouteTable<string>, topic: string, ids?: readonly number[]) {
  return table.match(topic, ids).map(({ route, params }) => ({ route, params: { ...params } }));
}

describe('RouteTable subscriptions', () => {
  it('makes one subscription per distinct filter, whatever the template spelling', () => {
    const table = new RouteTable([
      entry('a', 'sensors/{id}/data'),
      entry('b', 'sensors/{device}/data'),
      entry('c', 'sensors/+/data'),
      entry('d', 'alerts/#'),
      entry('e', 'alerts/{rest*}'),
    ]);
    expect(table.subscriptions).toEqual([
      { id: 1, topic: 'sensors/+/data', filter: 'sensors/+/data', qos: 0 },
      { id: 2, topic: 'alerts/#', filter: 'alerts/#', qos: 0 },
    ]);
    expect(table.size).toBe(5);
  });

  it('asks for the highest QoS any route on a filter wants', () => {
    const table = new RouteTable([entry('a', 'x/+', 1), entry('b', 'x/{id}', 2), entry('c', 'x/+', 0)]);
    expect(table.subscriptions.map((s) => s.qos)).toEqual([2]);
  });

  it('numbers subscriptions 1, 2, 3 in first-seen order', () => {
    const table = new RouteTable([entry('a', 'c'), entry('b', 'a'), entry('c', 'c'), entry('d', 'b')]);
    expect(table.subscriptions.map((s) => [s.id, s.filter])).toEqual([
      [1, 'c'],
      [2, 'a'],
      [3, 'b'],
    ]);
  });

  it('puts the $share prefix and group in the SUBSCRIBE topic only', () => {
    const table = new RouteTable([entry('a', 'sensors/{id}/data', 1, 'routemq')]);
    expect(table.subscriptions).toEqual([
      {
        id: 1,
        topic: '$share/routemq/sensors/+/data',
        filter: 'sensors/+/data',
        qos: 1,
        shareGroup: 'routemq',
      },
    ]);
  });

  it('keeps shared and non-shared routes, and different groups, on separate subscriptions', () => {
    const table = new RouteTable([
      entry('plain', 's/+', 0),
      entry('g1', 's/+', 1, 'g1'),
      entry('g2', 's/+', 2, 'g2'),
      entry('g1-again', 's/{id}', 2, 'g1'),
    ]);
    expect(table.subscriptions.map((s) => [s.id, s.topic, s.qos])).toEqual([
      [1, 's/+', 0],
      [2, '$share/g1/s/+', 2],
      [3, '$share/g2/s/+', 2],
    ]);
  });

  it('uses a custom share prefix', () => {
    const table = new RouteTable([entry('a', 's/+', 0, 'g')], { sharePrefix: '$custom' });
    expect(table.subscriptions[0].topic).toBe('$custom/g/s/+');
  });

  it('writes $queue/<filter> with no group, and merges groups that end on the same $queue topic', () => {
    const table = new RouteTable(
      [entry('a', 's/+', 0, 'g1'), entry('b', 's/{id}', 1, 'g2'), entry('c', 's/+')],
      {
        sharePrefix: '$queue',
      },
    );
    expect(table.subscriptions).toEqual([
      { id: 1, topic: '$queue/s/+', filter: 's/+', qos: 1, shareGroup: 'g1' },
      { id: 2, topic: 's/+', filter: 's/+', qos: 0 },
    ]);
  });

  it('has no subscriptions and matches nothing when empty', () => {
    const table = new RouteTable<string>([]);
    expect(table.subscriptions).toEqual([]);
    expect(table.size).toBe(0);
    expect(table.match('a/b')).toEqual([]);
  });
});

describe('RouteTable.match', () => {
  it('returns the matching route with its parameters', () => {
    const table = new RouteTable([entry('data', 'sensors/{device_id}/data'), entry('other', 'other/+')]);
    expect(matched(table, 'sensors/t1/data')).toEqual([{ route: 'data', params: { device_id: 't1' } }]);
    expect(matched(table, 'sensors/t1/status')).toEqual([]);
  });

  it('returns every matching route once, in declaration order, each with its own parameter names', () => {
    const table = new RouteTable([
      entry('by-id', 'sensors/{id}/data'),
      entry('all', 'sensors/{rest*}'),
      entry('by-device', 'sensors/{device}/data'),
      entry('everything', '#'),
    ]);
    expect(matched(table, 'sensors/t1/data')).toEqual([
      { route: 'by-id', params: { id: 't1' } },
      { route: 'all', params: { rest: 't1/data' } },
      { route: 'by-device', params: { device: 't1' } },
      { route: 'everything', params: {} },
    ]);
  });

  it('keys the trie on the bare filter: a shared route matches the plain topic', () => {
    const table = new RouteTable([entry('shared', 'sensors/{id}/data', 1, 'routemq')]);
    expect(matched(table, 'sensors/t1/data')).toEqual([{ route: 'shared', params: { id: 't1' } }]);
    expect(matched(table, '$share/routemq/sensors/t1/data')).toEqual([]);
  });

  it('follows the MQTT rules: sport/{rest*} matches sport [MQTT-4.7.1-2], # skips $SYS [MQTT-4.7.2-1]', () => {
    const table = new RouteTable([
      entry('sport', 'sport/{rest*}'),
      entry('all', '#'),
      entry('sys', '$SYS/#'),
    ]);
    expect(matched(table, 'sport')).toEqual([
      { route: 'sport', params: { rest: '' } },
      { route: 'all', params: {} },
    ]);
    expect(matched(table, '$SYS/load')).toEqual([{ route: 'sys', params: {} }]);
  });
});

describe('RouteTable.match with MQTT 5 subscription identifiers', () => {
  // Subscriptions: 1 = `s/+` (plain), 2 = `$share/g/s/+`, 3 = `s/#` (plain).
  const table = new RouteTable([
    entry('plain', 's/{id}'),
    entry('shared', 's/{id}', 1, 'g'),
    entry('plain-too', 's/+'),
    entry('deep', 's/{rest*}'),
  ]);

  it.each<[string, readonly number[] | undefined, string[]]>([
    ['no identifiers: every matching route', undefined, ['plain', 'shared', 'plain-too', 'deep']],
    ['the copy for subscription 1: its routes only', [1], ['plain', 'plain-too']],
    ['the copy for the shared subscription: its route only', [2], ['shared']],
    ['one copy for subscriptions 1 and 3', [3, 1], ['plain', 'plain-too', 'deep']],
    ['every identifier', [1, 2, 3], ['plain', 'shared', 'plain-too', 'deep']],
    ['an unknown identifier beside a known one is ignored', [2, 99], ['shared']],
    ['only unknown identifiers: every matching route', [0, 99], ['plain', 'shared', 'plain-too', 'deep']],
    ['an empty list: every matching route', [], ['plain', 'shared', 'plain-too', 'deep']],
  ])('%s', (_name, ids, routes) => {
    expect(table.match('s/x', ids).map((m) => m.route)).toEqual(routes);
  });

  it('runs each route once when a broker sends one copy per matching subscription', () => {
    const runs = [[1], [2], [3]].flatMap((ids) => table.match('s/x', ids).map((m) => m.route));
    expect(runs.sort()).toEqual(['deep', 'plain', 'plain-too', 'shared']);
  });

  it('still requires the topic to match the route, whatever the identifiers', () => {
    expect(table.match('s/x/y', [1, 2])).toEqual([]);
    expect(table.match('s/x/y', [3]).map((m) => m.route)).toEqual(['deep']);
  });
});
