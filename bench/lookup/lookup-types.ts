/** What the runner asks of the lookup process. */
export interface LookupRequest {
  readonly sizes: readonly number[];
  /** Time spent per implementation and size, in ms (split into batches; the median batch counts). */
  readonly budgetMs: number;
}

/** One route count's figures. */
export interface LookupFigures {
  readonly routes: number;
  /** Median ns per RouteMQ `RouteTable.match` (split, trie walk, parameter capture). */
  readonly routemqNs: number;
  /** Median ns per NestJS `ServerMqtt.getHandlerByPattern`. */
  readonly nestNs: number;
  /** Heap bytes per route of the route table: trie nodes, slots, entries, the subscription list. */
  readonly bytesPerRoute: number;
  /** Heap bytes per route of the compiled templates (part of the route definitions, not of the table). */
  readonly templateBytesPerRoute: number;
}
