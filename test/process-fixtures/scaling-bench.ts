/**
 * Scaling figures for docs/scaling.md: throughput of a shared QoS 1 route with 1, 2 and 4 worker
 * processes, for a light handler and a CPU-heavy one (about 1 ms of work per message), through a
 * Mosquitto started for the run. Prints progress, a table, PASS/FAIL per target, and writes JSON.
 *
 * Run: npm run bench:scaling   (options: --messages N, --rounds N, --check)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '3' },
    check: { type: 'boolean', default: false },
  },
});
const MESSAGES = Number(args.messages);
const ROUNDS = Number(args.rounds);
const FIXTURE = join(__dirname, 'workers-app.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startBroker(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'routemq-scaling-'));
  const config = join(dir, 'mosquitto.conf');
  // Nothing may be dropped: the in-flight window and the queue are raised far above the load.
  writeFileSync(
    config,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 1000\nmax_queued_messages 1000000\nset_tcp_nodelay true\n`,
  );
  const broker = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { url: `mqtt://127.0.0.1:${port}`, stop: () => broker.kill('SIGTERM') };
}

/** One measurement: start the app with N workers, push MESSAGES, time until all were processed. */
async function measure(url: string, workers: number, cpuMs: number): Promise<number> {
  const run = `scale-${workers}-${cpuMs}-${Date.now()}`;
  const app = spawn(process.execPath, [FIXTURE], {
    env: {
      PATH: process.env.PATH ?? '',
      MQTT_BROKER: url,
      MQTT_GROUP_NAME: run,
      FIXTURE_RUN: run,
      FIXTURE_CPU_MS: String(cpuMs),
      FIXTURE_REPORT_QOS: '0',
      WORKERS_A: String(workers),
      // One worker must not look slower than it is: the route may take many messages at once.
      ROUTE_CONCURRENCY: '16',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await appReady(app, workers);
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
  let processed = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  client.on('message', () => {
    processed++;
    if (processed === MESSAGES) resolveDone();
  });
  await client.subscribeAsync(`${run}/processed`, { qos: 0 });
  await waitForSubscribers(client, run);
  processed = 0; // the probes' reports do not count
  const started = performance.now();
  await publishAll(client, `${run}/a`, MESSAGES);
  await done;
  const seconds = (performance.now() - started) / 1000;
  await client.endAsync();
  app.kill('SIGTERM');
  await new Promise((resolve) => app.once('exit', resolve));
  return MESSAGES / seconds;
}

/** Waits for the app's own "ready" log line: every worker subscribed, not just the first one. */
function appReady(app: ReturnType<typeof spawn>, workers: number): Promise<void> {
  const marker = workers > 1 ? 'all workers ready' : 'connected; serving';
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the app never logged "${marker}"`)), 30_000);
    app.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) {
        clearTimeout(timer);
        output = '';
        resolve();
      }
    });
  });
}

/** Probes until the workers answer (the supervisor forks them after its own start). */
async function waitForSubscribers(client: mqtt.MqttClient, run: string): Promise<void> {
  let answered = false;
  const onMessage = () => (answered = true);
  client.on('message', onMessage);
  for (let i = 0; !answered; i++) {
    if (i > 200) throw new Error('the app never answered a probe');
    await client.publishAsync(`${run}/a/probe-${i}`, '{}', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1500)); // let every worker subscribe
  client.off('message', onMessage);
}

async function publishAll(client: mqtt.MqttClient, prefix: string, count: number): Promise<void> {
  const window = 200;
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      await client.publishAsync(`${prefix}/${i}`, `{"i":${i}}`, { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const broker = await startBroker();
  const results: Record<string, Record<number, number>> = { light: {}, cpu1ms: {} };
  try {
    for (const [name, cpuMs] of [
      ['light', 0],
      ['cpu1ms', 1],
    ] as const) {
      for (const workers of [1, 2, 4]) {
        const rates: number[] = [];
        for (let round = 1; round <= ROUNDS; round++) {
          const rate = await measure(broker.url, workers, cpuMs);
          rates.push(rate);
          console.log(`${name} workers=${workers} round ${round}/${ROUNDS}: ${rate.toFixed(0)} msg/s`);
        }
        results[name][workers] = median(rates);
      }
    }
  } finally {
    broker.stop();
  }
  report(results);
}

function report(results: Record<string, Record<number, number>>): void {
  console.log('\nmedian msg/s      1 worker   2 workers   4 workers   2w/1w   4w/1w');
  for (const [name, byWorkers] of Object.entries(results)) {
    const r = (w: number) => byWorkers[w].toFixed(0).padStart(9);
    const x = (w: number) => (byWorkers[w] / byWorkers[1]).toFixed(2).padStart(6);
    console.log(`${name.padEnd(14)} ${r(1)}   ${r(2)}   ${r(4)}   ${x(2)}  ${x(4)}`);
  }
  const cpuGain = results.cpu1ms[2] / results.cpu1ms[1];
  const lightRatio = results.light[2] / results.light[1];
  const targets = [
    { name: 'CPU-heavy route gains >= 1.6x from 1 to 2 workers', value: cpuGain, pass: cpuGain >= 1.6 },
    {
      name: 'light route keeps >= 0.9x of 1 worker with 2 workers',
      value: lightRatio,
      pass: lightRatio >= 0.9,
    },
  ];
  for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value.toFixed(2)}x`);
  mkdirSync(join(__dirname, '../../bench/results'), { recursive: true });
  const file = join(__dirname, '../../bench/results/scaling.json');
  writeFileSync(
    file,
    JSON.stringify(
      { date: new Date().toISOString(), messages: MESSAGES, rounds: ROUNDS, results, targets },
      null,
      2,
    ),
  );
  console.log(`results written to ${file}`);
  if (args.check && targets.some((t) => !t.pass)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
