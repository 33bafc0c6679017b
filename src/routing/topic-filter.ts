/**
 * Reference rules for MQTT topic names and filters (MQTT 3.1.1 section 4.7, MQTT 5.0 section 4.7).
 * The trie is the fast path; these functions are the plain statement of the rules it must obey.
 * @module
 */

/** Splits a topic or filter into its levels; `a//b` has an empty middle level [MQTT-4.7.1-x]. */
export function splitTopic(topic: string): string[] {
  return topic.split('/');
}

/**
 * True when the topic name matches the filter. `sport/#` matches `sport` [MQTT-4.7.1-2], `+` matches
 * an empty level, and a filter starting with a wildcard never matches a topic starting with `$`
 * [MQTT-4.7.2-1].
 */
export function matchesFilter(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = splitTopic(filter);
  const t = splitTopic(topic);
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Why a topic cannot be used in a PUBLISH, or undefined when it can. Mosquitto drops the connection for
 * a topic with `+`, `#` or NUL [MQTT-3.3.2-2], so this runs before anything is sent.
 */
export function publishTopicProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'the topic is empty [MQTT-4.7.3-1]';
  if (topic.includes('\u0000')) return 'the topic holds a NUL character [MQTT-4.7.3-2]';
  if (topic.includes('+') || topic.includes('#'))
    return 'a topic name cannot hold the wildcards + or # [MQTT-3.3.2-2]';
  if (Buffer.byteLength(topic) > 65535) return 'the topic is longer than 65535 bytes [MQTT-4.7.3-3]';
  return undefined;
}

/**
 * True when a value would change a topic's shape if put in one level: a `/`, a wildcard (`+`, `#`)
 * or NUL (which Mosquitto answers by dropping the connection [MQTT-4.7.3-2]).
 */
export function breaksTopicLevel(value: string): boolean {
  return value.includes('/') || value.includes('+') || value.includes('#') || value.includes('\u0000');
}

/**
 * True when some topic name matches both filters (`sensors/+/data` and `sensors/#` overlap). Brokers
 * such as Mosquitto deliver one copy per matching subscription, so overlapping filters matter when
 * deliveries carry no subscription identifiers (MQTT 3.1.1).
 */
export function filtersOverlap(a: string, b: string): boolean {
  const x = splitTopic(a);
  const y = splitTopic(b);
  for (let i = 0; i <= Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === '#' || q === '#') return true;
    if (p === undefined || q === undefined) return p === q;
    if (p !== '+' && q !== '+' && p !== q) return false;
  }
  return true;
}
