/**
 * Route-table lookup cost and memory per route, in a process of its own (run with --expose-gc): the
 * RouteMQ route table (split, trie walk, parameter capture: what the dispatcher calls per message) and
 * NestJS's MQTT handler lookup (an exact Map hit, else a linear scan), at 10, 1,000 and 100,000 routes
 * `r<i>/{device_id}/data`, with 10 % misses. Sends its figures to the runner over IPC.
 */
import { ServerMqtt } from '@nestjs/microservices';
import { RouteTable, parseTemplate, type CompiledTemplate, type RouteTableEntry } from './internal';
import type { LookupFigures, LookupRequest } from './lookup-types';
import { lookupTopics, timePerCall } from './lookup-timing';

function compile(template: string): CompiledTemplate {
  const result = parseTemplate(template);
  if (!result.ok) throw new Error(`${template}: ${result.errors.join('; ')}`);
  return result.compiled;
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function entriesFor(routes: number): RouteTableEntry<number>[] {
  const entries: RouteTableEntry<number>[] = [];
  for (let i = 0; i < routes; i++)
    entries.push({ compiled: compile(`r${i}/{device_id}/data`), qos: 1, route: i });
  return entries;
}

/**
 * Heap bytes per route of a table of `routes` routes: the trie, its slots and entries and the
 * subscription list (`table`), and the compiled templates the routes were declared with (`templates`,
 * which exist in the route definitions whatever the lookup structure). Measured before any timing, in
 * a function whose frame is gone afterwards, so that nothing else is freed or allocated meanwhile.
 */
function memoryPerRoute(routes: number): { table: number; templates: number } {
  const start = heapAfterGc();
  const entries = entriesFor(routes);
  const compiled = heapAfterGc();
  const table = new RouteTable(entries);
  const built = heapAfterGc();
  if (table.size !== routes) throw new Error('the table lost routes');
  return { table: (built - compiled) / routes, templates: (compiled - start) / routes };
}

function nestServer(routes: number): ServerMqtt {
  const server = new ServerMqtt({ url: 'mqtt://127.0.0.1:1' });
  const handler = async (): Promise<void> => undefined;
  for (let i = 0; i < routes; i++) server.addHandler(`r${i}/+/data`, handler, true);
  return server;
}

function measure(request: LookupRequest): LookupFigures[] {
  const memory = request.sizes.map(memoryPerRoute);
  return request.sizes.map((routes, i) => {
    const topics = lookupTopics(routes);
    const table = new RouteTable(entriesFor(routes));
    const routemqNs = timePerCall(topics, (topic) => table.match(topic).length, request.budgetMs);
    const server = nestServer(routes);
    const nestNs = timePerCall(
      topics,
      (topic) => (server.getHandlerByPattern(topic) ? 1 : 0),
      request.budgetMs,
    );
    process.stderr.write(
      `  lookup ${routes} routes: RouteMQ ${routemqNs.toFixed(0)} ns, NestJS ${nestNs.toFixed(0)} ns\n`,
    );
    return {
      routes,
      routemqNs,
      nestNs,
      bytesPerRoute: memory[i].table,
      templateBytesPerRoute: memory[i].templates,
    };
  });
}

process.once('message', (request: LookupRequest) => {
  process.send?.(measure(request), () => process.exit(0));
});
