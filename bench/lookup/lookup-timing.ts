/** Topic sets and timing loops of the lookup benchmark. */

const TOPICS = 4096;

/**
 * Topics for a table of `routes` routes: 90 % hits on random routes, 10 % misses (half with a known
 * first level and an unknown last one, half with an unknown first level). Deterministic (an LCG).
 */
export function lookupTopics(routes: number): string[] {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const topics: string[] = [];
  for (let i = 0; i < TOPICS; i++) {
    const route = next(routes);
    const kind = i % 20;
    if (kind === 0) topics.push(`r${route}/dev-${i}/status`);
    else if (kind === 1) topics.push(`x${route}/dev-${i}/data`);
    else topics.push(`r${route}/dev-${i}/data`);
  }
  return topics;
}

/**
 * Median ns per call of `lookup` over the topics, from batches run until `budgetMs` is spent (at
 * least 5 batches). A batch is sized to take about a tenth of the budget.
 */
export function timePerCall(
  topics: readonly string[],
  lookup: (topic: string) => number,
  budgetMs: number,
): number {
  let sink = 0;
  let size = 1;
  // Size the batch (and warm the JIT) first.
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < size; i++) sink += lookup(topics[i & (topics.length - 1)]);
    if (performance.now() - started > budgetMs / 10 || size > 1 << 26) break;
    size *= 2;
  }
  const perCall: number[] = [];
  const deadline = performance.now() + budgetMs;
  let offset = 0;
  while (perCall.length < 5 || (performance.now() < deadline && perCall.length < 50)) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < size; i++) sink += lookup(topics[(offset + i) & (topics.length - 1)]);
    perCall.push(Number(process.hrtime.bigint() - started) / size);
    offset += size;
  }
  if (sink < 0) throw new Error('unreachable');
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)];
}
