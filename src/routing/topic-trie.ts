/**
 * The topic trie: MQTT filters stored level by level, so matching a topic costs one step per topic level
 * (plus one per `+` branch taken), whatever the number of filters.
 * @module
 */

/** A stored value with its insertion number, which restores insertion order after a match. */
interface Slot<V> {
  readonly sequence: number;
  readonly value: V;
}

/** One level of the trie; every field stays undefined until a filter needs it, to keep nodes small. */
class TrieNode<V> {
  /**
   * Children for literal levels, keyed by the exact (case-sensitive) level text: the child itself while
   * there is only one (its `key` says which level), a Map from the second on. Most nodes have a single
   * literal child (`sensors/+/data` below `+`), and a one-entry Map costs ~190 bytes against the 600
   * bytes per route of docs/benchmarks.md.
   */
  literals: TrieNode<V> | Map<string, TrieNode<V>> | undefined = undefined;
  /** The child for a `+` level. */
  single: TrieNode<V> | undefined = undefined;
  /** Values of filters ending in `#` right below this node. */
  multi: Slot<V>[] | undefined = undefined;
  /** Values of filters ending exactly at this node. */
  exact: Slot<V>[] | undefined = undefined;

  /** @param key the level text this node is the literal child for ('' for the root and `+` nodes). */
  constructor(readonly key: string) {}
}

const DOLLAR = 0x24;

/**
 * Maps MQTT topic filters to values and finds every value whose filter matches a topic name.
 * Filters must be valid (wildcards only as whole levels, `#` last); {@link parseTemplate} guarantees
 * that for compiled templates.
 *
 * @example
 * ```ts
 * const trie = new TopicTrie<string>();
 * trie.insert('sensors/+/data', 'data');
 * trie.insert('sensors/#', 'all');
 * trie.match('sensors/t1/data'); // ['data', 'all']
 * trie.match('sensors');         // ['all']  (sport/# matches sport)
 * ```
 */
export class TopicTrie<V> {
  private readonly root = new TrieNode<V>('');
  private count = 0;

  /** Number of values inserted (a value inserted twice counts twice). */
  get size(): number {
    return this.count;
  }

  /**
   * Stores `value` under `filter`. Several values may share a filter; they come back in insertion order.
   *
   * @example
   * ```ts
   * trie.insert('home/+/temperature', route);
   * ```
   */
  insert(filter: string, value: V): void {
    const slot: Slot<V> = { sequence: this.count++, value };
    const levels = filter.split('/');
    let node = this.root;
    for (const level of levels) {
      if (level === '#') {
        // `#` is always the last level of a valid filter [MQTT-4.7.1-2].
        node.multi = appendSlot(node.multi, slot);
        return;
      }
      node = level === '+' ? (node.single ??= new TrieNode<V>('')) : literalChild(node, level);
    }
    node.exact = appendSlot(node.exact, slot);
  }

  /**
   * Every value whose filter matches the topic name, each value once, in insertion order.
   *
   * @example
   * ```ts
   * trie.match('home/kitchen/temperature');
   * ```
   */
  match(topic: string): V[] {
    return this.matchLevels(topic.split('/'));
  }

  /**
   * {@link match} for a topic already split on `/`, so a caller that also needs the levels (for
   * parameter capture) splits only once.
   *
   * @example
   * ```ts
   * const levels = topic.split('/');
   * const values = trie.matchLevels(levels);
   * ```
   */
  matchLevels(levels: readonly string[]): V[] {
    const found: Slot<V>[] = [];
    if (levels[0].charCodeAt(0) === DOLLAR) {
      // Filters starting with `+` or `#` do not match topics starting with `$` [MQTT-4.7.2-1]: from the
      // root, only the literal branch (e.g. `$SYS/...`) is followed.
      const child = literalOf(this.root, levels[0]);
      if (child !== undefined) collect(child, levels, 1, found);
    } else {
      collect(this.root, levels, 0, found);
    }
    return valuesInOrder(found);
  }
}

/** A first slot gets an exact-size array: `[].push()` would reserve room for 17, on every leaf. */
function appendSlot<V>(slots: Slot<V>[] | undefined, slot: Slot<V>): Slot<V>[] {
  if (slots === undefined) return [slot];
  slots.push(slot);
  return slots;
}

function literalChild<V>(node: TrieNode<V>, level: string): TrieNode<V> {
  const literals = node.literals;
  if (literals === undefined) return (node.literals = new TrieNode<V>(level));
  if (literals instanceof TrieNode) {
    if (literals.key === level) return literals;
    // A second literal child: from now on the children live in a Map.
    const child = new TrieNode<V>(level);
    node.literals = new Map([
      [literals.key, literals],
      [level, child],
    ]);
    return child;
  }
  let child = literals.get(level);
  if (child === undefined) {
    child = new TrieNode<V>(level);
    literals.set(level, child);
  }
  return child;
}

/** The literal child of `node` for `level`, if any. */
function literalOf<V>(node: TrieNode<V>, level: string): TrieNode<V> | undefined {
  const literals = node.literals;
  if (literals === undefined) return undefined;
  if (literals instanceof TrieNode) return literals.key === level ? literals : undefined;
  return literals.get(level);
}

/**
 * Depth-first walk. Recursion rather than a closure or an explicit stack keeps the hot path free of
 * allocations beyond the result array.
 */
function collect<V>(node: TrieNode<V>, levels: readonly string[], depth: number, found: Slot<V>[]): void {
  // `x/#` matches `x` itself and everything below it [MQTT-4.7.1-2].
  if (node.multi !== undefined) pushAll(found, node.multi);
  if (depth === levels.length) {
    if (node.exact !== undefined) pushAll(found, node.exact);
    return;
  }
  // Levels compare exactly: topic names and filters are case sensitive (MQTT 3.1.1 section 4.7.3).
  const literal = literalOf(node, levels[depth]);
  if (literal !== undefined) collect(literal, levels, depth + 1, found);
  // `+` matches any one level, the empty level too: `sport/+` matches `sport/` (section 4.7.1.3).
  if (node.single !== undefined) collect(node.single, levels, depth + 1, found);
}

function pushAll<V>(target: Slot<V>[], source: readonly Slot<V>[]): void {
  for (let i = 0; i < source.length; i++) target.push(source[i]);
}

function bySequence<V>(a: Slot<V>, b: Slot<V>): number {
  return a.sequence - b.sequence;
}

/** Sorts only when needed; a value stored under several matching filters is returned once. */
function valuesInOrder<V>(found: Slot<V>[]): V[] {
  if (found.length === 0) return [];
  if (found.length === 1) return [found[0].value];
  found.sort(bySequence);
  const values: V[] = [];
  const seen = new Set<V>();
  for (const slot of found) {
    if (seen.has(slot.value)) continue;
    seen.add(slot.value);
    values.push(slot.value);
  }
  return values;
}
