/**
 * The route table: compiled routes in a trie keyed on their bare MQTT filters, and the list of broker
 * subscriptions those routes need (one per distinct filter and share group).
 * @module
 */
import type { QoS } from './qos';
import { captureParams, paramCaptureOf, type CompiledTemplate, type ParamCapture } from './topic-template';
import { TopicTrie } from './topic-trie';

/**
 * One route as the table needs it; `route` is whatever the caller wants back on a match.
 *
 * @example
 * ```ts
 * const entry: RouteTableEntry<Handler> = { compiled, qos: 1, shareGroup: 'routemq', route: handler };
 * ```
 */
export interface RouteTableEntry<R> {
  readonly compiled: CompiledTemplate;
  readonly qos: QoS;
  /** Share group for a shared route; undefined for an ordinary subscription. */
  readonly shareGroup?: string;
  readonly route: R;
}

/**
 * One SUBSCRIBE request the application must make.
 *
 * @example
 * ```ts
 * const subscription: Subscription = {
 *   id: 1, topic: '$share/routemq/sensors/+/data', filter: 'sensors/+/data', qos: 1, shareGroup: 'routemq',
 * };
 * ```
 */
export interface Subscription {
  /** MQTT 5 subscription identifier (1, 2, 3... in first-seen order). */
  readonly id: number;
  /** What goes into SUBSCRIBE, share prefix included: `$share/<group>/<filter>` or the bare filter. */
  readonly topic: string;
  /** The bare filter, as keyed in the trie. */
  readonly filter: string;
  /** The highest QoS any route on this subscription asks for. */
  readonly qos: QoS;
  readonly shareGroup?: string;
}

/**
 * A route that a topic matched, with its captured parameters.
 *
 * @example
 * ```ts
 * const [first]: RouteMatch<Handler>[] = table.match('sensors/t1/data');
 * await first.route(first.params.device_id);
 * ```
 */
export interface RouteMatch<R> {
  readonly route: R;
  readonly params: Record<string, string>;
}

/**
 * Options of a {@link RouteTable}.
 *
 * @example
 * ```ts
 * new RouteTable(entries, { sharePrefix: '$queue' }); // EMQX: subscribes '$queue/<filter>'
 * ```
 */
export interface RouteTableOptions {
  /**
   * Prefix of shared subscriptions; default `$share` (MQTT 5.0 section 4.8.2). With EMQX's `$queue` the
   * topic is `$queue/<filter>`, which has no group.
   */
  readonly sharePrefix?: string;
}

const DEFAULT_SHARE_PREFIX = '$share';
const QUEUE_PREFIX = '$queue';

/** A route in the trie, with the subscription it arrives through and how to capture its parameters. */
interface TableRoute<R> {
  readonly route: R;
  readonly subscriptionId: number;
  /** Shared by every route of the same shape (see {@link paramCaptureOf}). */
  readonly captures: readonly ParamCapture[];
}

type SubscriptionDraft = { -readonly [K in keyof Subscription]: Subscription[K] };

/**
 * Matches topics to routes and lists the subscriptions to make. Built once at boot; immutable after.
 *
 * @example
 * ```ts
 * const table = new RouteTable([{ compiled, qos: 1, shareGroup: 'routemq', route: handler }]);
 * await transport.subscribe(table.subscriptions);
 * for (const { route, params } of table.match(message.topic, ids)) await route(params);
 * ```
 */
export class RouteTable<R> {
  /** One per distinct (share group, filter), in first-seen order. */
  readonly subscriptions: readonly Subscription[];
  /** Number of routes in the table. */
  readonly size: number;
  private readonly trie = new TopicTrie<TableRoute<R>>();

  constructor(entries: readonly RouteTableEntry<R>[], options: RouteTableOptions = {}) {
    const sharePrefix = options.sharePrefix ?? DEFAULT_SHARE_PREFIX;
    const byTopic = new Map<string, SubscriptionDraft>();
    const captures = new Map<string, readonly ParamCapture[]>();
    for (const entry of entries) {
      const subscription = subscriptionFor(byTopic, entry, sharePrefix);
      this.trie.insert(entry.compiled.filter, {
        route: entry.route,
        subscriptionId: subscription.id,
        captures: sharedCapture(captures, entry.compiled),
      });
    }
    this.subscriptions = [...byTopic.values()];
    this.size = entries.length;
  }

  /**
   * The routes a delivery on `topic` is for, each once, in declaration order, with their parameters.
   * With `subscriptionIds` (MQTT 5.0 section 3.3.4: a broker echoes the identifiers of the subscriptions
   * that caused this copy), only the routes of those subscriptions: a broker that sends one copy per
   * matching subscription then never runs a route twice. Unknown ids are ignored; when no id is known
   * (or the list is empty) every matching route is returned.
   *
   * @example
   * ```ts
   * table.match('sensors/t1/data');      // [{ route, params: { device_id: 't1' } }]
   * table.match('sensors/t1/data', [2]); // only the routes subscribed through id 2
   * ```
   */
  match(topic: string, subscriptionIds?: readonly number[]): RouteMatch<R>[] {
    const levels = topic.split('/');
    const found = this.trie.matchLevels(levels);
    const wanted = this.knownIds(subscriptionIds);
    const matches: RouteMatch<R>[] = [];
    for (const { route, subscriptionId, captures } of found) {
      if (wanted !== undefined && !wanted.includes(subscriptionId)) continue;
      matches.push({ route, params: captureParams(captures, levels) });
    }
    return matches;
  }

  private knownIds(ids: readonly number[] | undefined): readonly number[] | undefined {
    if (ids === undefined) return undefined;
    // Usually every id is known: then the list is used as it is, not copied once per message.
    let known = 0;
    for (let i = 0; i < ids.length; i++) if (this.isKnownId(ids[i])) known++;
    if (known === ids.length) return known > 0 ? ids : undefined;
    return known > 0 ? ids.filter((id) => this.isKnownId(id)) : undefined;
  }

  private isKnownId(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= this.subscriptions.length;
  }
}

/** The capture of a template, one object per distinct shape (`1:device_id`...). */
function sharedCapture(
  shared: Map<string, readonly ParamCapture[]>,
  compiled: CompiledTemplate,
): readonly ParamCapture[] {
  const captures = paramCaptureOf(compiled);
  const key = captures.map((c) => `${c.index}:${c.rest ? '*' : ''}${c.name}`).join('/');
  const existing = shared.get(key);
  if (existing !== undefined) return existing;
  shared.set(key, captures);
  return captures;
}

/** Finds or creates the subscription of an entry, raising its QoS to the highest asked. */
function subscriptionFor<R>(
  byTopic: Map<string, SubscriptionDraft>,
  entry: RouteTableEntry<R>,
  sharePrefix: string,
): SubscriptionDraft {
  const { filter } = entry.compiled;
  // Keyed on the SUBSCRIBE topic: a second SUBSCRIBE of the same topic would replace the first one and
  // its identifier [MQTT-3.8.4-3], so routes that end up on one topic must share one subscription.
  const topic = subscriptionTopic(filter, entry.shareGroup, sharePrefix);
  const existing = byTopic.get(topic);
  if (existing !== undefined) {
    if (entry.qos > existing.qos) existing.qos = entry.qos;
    return existing;
  }
  const draft: SubscriptionDraft = { id: byTopic.size + 1, topic, filter, qos: entry.qos };
  if (entry.shareGroup !== undefined) draft.shareGroup = entry.shareGroup;
  byTopic.set(topic, draft);
  return draft;
}

function subscriptionTopic(filter: string, shareGroup: string | undefined, sharePrefix: string): string {
  if (shareGroup === undefined) return filter;
  if (sharePrefix === QUEUE_PREFIX) return `${QUEUE_PREFIX}/${filter}`;
  return `${sharePrefix}/${shareGroup}/${filter}`;
}
