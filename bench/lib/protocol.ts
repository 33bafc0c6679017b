/**
 * The control channel between the runner and a subject process (Node IPC): the runner asks for marks
 * (message count, process CPU, latency percentiles since the previous mark); a subject reports that it
 * is ready and, when asked, its progress every N messages (the credit of the saturated load).
 * @module
 */

/** The implementations compared, in the order of the issue: (a) to (d). */
export const IMPLEMENTATIONS = ['bare', 'routemq', 'routemq-dto', 'nest'] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/** What the table headings and charts call each implementation. */
export const LABELS: Readonly<Record<Implementation, string>> = {
  bare: '(a) bare mqtt.js',
  routemq: '(b) RouteMQ',
  'routemq-dto': '(c) RouteMQ + DTO',
  nest: '(d) NestJS MQTT',
};

/** Publish-to-handler latency of the messages handled since the previous mark. */
export interface LatencySummary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export type RunnerMessage =
  | { readonly type: 'mark' }
  /** Report the count every `intervalMs` (0: stop); the credit of the saturated load. */
  | { readonly type: 'progress'; readonly intervalMs: number }
  /** Exit now (a normal exit, so that --cpu-prof writes its profile). */
  | { readonly type: 'exit' };

export type SubjectMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly count: number }
  | {
      readonly type: 'mark';
      /** When the count was read, monotonic microseconds. */
      readonly atMicros: number;
      readonly count: number;
      /** process.cpuUsage() user + system, in microseconds. */
      readonly cpuMicros: number;
      readonly latency: LatencySummary | undefined;
    };

/**
 * The MQTT 5 receive maximum of every subscriber (QoS 1 deliveries the broker may have in flight to it),
 * equal to the broker's max_inflight_messages. RouteMQ's default is 100, which bounds memory in
 * production; mqtt.js sends none (65535). One value for all makes the QoS 1 figures measure the
 * subscribers, not their flow-control windows.
 */
export const RECEIVE_MAXIMUM = 1000;

/** Settings a subject reads from its environment. */
export interface SubjectSettings {
  readonly url: string;
  readonly qos: 0 | 1;
  /** Topics are `<prefix>/<device>/data`; the subject subscribes `<prefix>/+/data`. */
  readonly prefix: string;
  /** A handler that awaits this many ms (the concurrency scenario); 0: no wait. */
  readonly handlerMs: number;
  /** RouteMQ route concurrency (default 1, as in production). */
  readonly concurrency: number;
}

export function subjectEnv(settings: SubjectSettings): Record<string, string> {
  return {
    BENCH_URL: settings.url,
    BENCH_QOS: String(settings.qos),
    BENCH_PREFIX: settings.prefix,
    BENCH_HANDLER_MS: String(settings.handlerMs),
    BENCH_CONCURRENCY: String(settings.concurrency),
  };
}

export function readSubjectEnv(env: NodeJS.ProcessEnv): SubjectSettings {
  const url = env.BENCH_URL;
  if (url === undefined) throw new Error('BENCH_URL is not set: subjects are started by dist/bench/run.js');
  return {
    url,
    qos: env.BENCH_QOS === '1' ? 1 : 0,
    prefix: env.BENCH_PREFIX ?? 'bench/x',
    handlerMs: Number(env.BENCH_HANDLER_MS ?? 0),
    concurrency: Number(env.BENCH_CONCURRENCY ?? 1),
  };
}

/**
 * Microseconds on CLOCK_MONOTONIC, which every process of the machine shares (performance.now() has a
 * per-process origin, and performance.timeOrigin is only as precise as the wall clock at start-up).
 */
export function monotonicMicros(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1e6 + nanos / 1e3;
}
