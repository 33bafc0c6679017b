import type { RouteDefinition } from '../metadata/route-definition';
import { filtersOverlap, splitTopic } from '../routing/topic-filter';

/**
 * Two routes some topic runs both of. `conflict`: the same filter (every message runs both: usually a
 * mistake); `overlap`: different filters that share topics (allowed, and worth knowing).
 */
export interface RouteOverlap {
  readonly kind: 'conflict' | 'overlap';
  readonly routes: readonly [string, string];
  readonly filters: readonly [string, string];
  /** A topic that runs both routes. */
  readonly example: string;
}

/**
 * Every pair of routes whose filters share a topic (docs/routing.md: each matching route runs once).
 *
 * @example
 * ```ts
 * findOverlaps(definitions); // [{ kind: 'overlap', filters: ['sensors/+/data', 'sensors/#'], example: 'sensors/x/data', ... }]
 * ```
 */
export function findOverlaps(definitions: readonly RouteDefinition[]): RouteOverlap[] {
  const found: RouteOverlap[] = [];
  for (let i = 0; i < definitions.length; i++) {
    for (let j = i + 1; j < definitions.length; j++) {
      const [a, b] = [definitions[i], definitions[j]];
      const [fa, fb] = [a.compiled.filter, b.compiled.filter];
      if (!filtersOverlap(fa, fb)) continue;
      found.push({
        kind: fa === fb ? 'conflict' : 'overlap',
        routes: [a.handlerName, b.handlerName],
        filters: [fa, fb],
        example: exampleTopic(fa, fb),
      });
    }
  }
  return found;
}

/** A topic both filters match: literal levels kept, a wildcard facing a wildcard becomes `x`. */
export function exampleTopic(a: string, b: string): string {
  const [x, y] = [splitTopic(a), splitTopic(b)];
  const levels: string[] = [];
  for (let i = 0; ; i++) {
    const [p, q] = [x[i], y[i]];
    if (p === '#' || q === '#') {
      const rest = (p === '#' ? y : x).slice(i).filter((level) => level !== '#');
      levels.push(...rest.map((level) => (level === '+' ? 'x' : level)));
      break;
    }
    if (p === undefined || q === undefined) break;
    levels.push(p === '+' ? (q === '+' ? 'x' : q) : p);
  }
  // `a/#` matches `a` itself, so an empty rest is still a topic both match.
  return levels.join('/');
}
