/**
 * `npm run bench:jobs`: jobs per second through RouteMQ's `JobQueue.dispatch` + a no-op `@Job`, against
 * bare BullMQ (`Queue.add` + a no-op `Worker`) in the same run, on the same Redis, with the same
 * concurrency and the same number of dispatches in flight. After one warm-up round each, rounds
 * alternate the two subjects; the
 * ratio of medians is judged against the target (>= 0.8x). Writes bench/results/jobs.json and
 * docs/benchmarks/jobs.svg.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { createApp, Job, JobQueue, Module } from 'routemq';
import { MemoryBroker, MemoryTransport } from 'routemq/testing';
import { render } from '../report/charts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
const JOBS = Number(process.env.BENCH_JOBS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 10;
const IN_FLIGHT = 50;
const TARGET = 0.8;
const RUN = `rmq17-bench-${randomBytes(3).toString('hex')}`;
const ROOT = join(__dirname, '..', '..', '..');

let done = 0;
let allDone: (() => void) | undefined;
function finished(): void {
  if (++done === JOBS) allDone?.();
}

@Job({ queue: 'bench', concurrency: CONCURRENCY, attempts: 1 })
class NoOp {
  handle(): void {
    finished();
  }
}

@Module({ jobs: [NoOp] })
class BenchModule {}

/** Runs `dispatch` JOBS times with IN_FLIGHT at once; resolves with jobs/s once all completed. */
async function measure(dispatch: (i: number) => Promise<unknown>): Promise<number> {
  done = 0;
  const completed = new Promise<void>((resolve) => (allDone = resolve));
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < JOBS) await dispatch(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  await completed;
  return JOBS / ((performance.now() - started) / 1000);
}

async function bareRound(prefix: string): Promise<number> {
  const connection = { url: REDIS_URL };
  const queue = new Queue('bench', { connection, prefix });
  const worker = new Worker('bench', async () => finished(), {
    connection: { ...connection, maxRetriesPerRequest: null },
    prefix,
    concurrency: CONCURRENCY,
  });
  await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
  try {
    return await measure((i) =>
      queue.add('NoOp', { data: { i } }, { attempts: 1, removeOnComplete: { count: 1000 } }),
    );
  } finally {
    await worker.close();
    await queue.close();
  }
}

async function routemqRound(prefix: string): Promise<number> {
  const app = await createApp(BenchModule, {
    env: {},
    logLevel: 'silent',
    redisUrl: REDIS_URL,
    jobPrefix: prefix,
    transport: new MemoryTransport(new MemoryBroker(), { clientId: 'bench' }),
  });
  await app.start();
  const jobs = app.container.resolve(JobQueue);
  await jobs.size('bench'); // opens the queue's connection, as waitUntilReady does for the bare queue
  try {
    return await measure((i) => jobs.dispatch(NoOp, { i }));
  } finally {
    await app.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function cleanup(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${RUN}-*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

async function main(): Promise<number> {
  console.log(
    `jobs bench: ${JOBS} no-op jobs per round, ${ROUNDS} rounds each, concurrency ${CONCURRENCY}, ${IN_FLIGHT} dispatches in flight`,
  );
  const bare: number[] = [];
  const routemq: number[] = [];
  try {
    // One discarded round each: the first round of a process pays for JIT and connection set-up.
    await bareRound(`${RUN}-bw`);
    await routemqRound(`${RUN}-rw`);
    console.log('warm-up rounds done');
    for (let round = 1; round <= ROUNDS; round++) {
      bare.push(await bareRound(`${RUN}-b${round}`));
      console.log(`round ${round}/${ROUNDS}: bare BullMQ ${bare.at(-1)?.toFixed(0)} jobs/s`);
      routemq.push(await routemqRound(`${RUN}-r${round}`));
      console.log(`round ${round}/${ROUNDS}: RouteMQ ${routemq.at(-1)?.toFixed(0)} jobs/s`);
    }
  } finally {
    await cleanup();
  }
  const ratio = median(routemq) / median(bare);
  const pass = ratio >= TARGET;
  const results = {
    date: new Date().toISOString(),
    jobs: JOBS,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    inFlight: IN_FLIGHT,
    bareJobsPerSec: bare.map(Math.round),
    routemqJobsPerSec: routemq.map(Math.round),
    medianBare: Math.round(median(bare)),
    medianRouteMQ: Math.round(median(routemq)),
    ratio: Number(ratio.toFixed(3)),
    target: `>= ${TARGET}`,
    pass,
  };
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(ROOT, 'bench', 'results', 'jobs.json'), `${JSON.stringify(results, null, 2)}\n`);
  await mkdir(join(ROOT, 'docs', 'benchmarks'), { recursive: true });
  const rows = [
    ...bare.map((v, i) => ({ subject: 'bare BullMQ', round: i + 1, jobsPerSec: Math.round(v) })),
    ...routemq.map((v, i) => ({ subject: 'RouteMQ JobQueue', round: i + 1, jobsPerSec: Math.round(v) })),
  ];
  const svg = await render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `No-op jobs per second (${JOBS} per round; ratio ${ratio.toFixed(2)}x)`,
    width: 420,
    height: 220,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'subject', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'round', type: 'ordinal' },
      y: { field: 'jobsPerSec', type: 'quantitative', title: 'jobs/s' },
      color: { field: 'subject', type: 'nominal', legend: null },
    },
  });
  await writeFile(join(ROOT, 'docs', 'benchmarks', 'jobs.svg'), svg);
  console.log(
    `median: bare BullMQ ${results.medianBare} jobs/s, RouteMQ ${results.medianRouteMQ} jobs/s, ratio ${results.ratio}x (target ${results.target}): ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('jobs bench failed:', error);
    process.exit(1);
  },
);
