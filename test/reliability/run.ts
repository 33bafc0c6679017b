/**
 * The reliability suite (`npm run test:reliability`): fault injection against a real Mosquitto with
 * the app under test as a child process, judged by a durable record in Redis. Prints progress and a
 * final table, writes results/latest.json and the figures of docs/reliability.md.
 *
 * Exit code: 1 when a correctness check fails (loss, dead-letter counts, crashes, disconnects,
 * keepalive timeouts, duplicates after SIGTERM, a negative control without loss). Throughput targets
 * (2,000 msg/s; the healthy route within 10 %) are printed PASS/FAIL and fail the run only with
 * `--check`: they measure a shared 2-core machine as much as the code, and a red build nobody can act
 * on teaches people to ignore red builds.
 *
 * Options: `--check` (targets fail the run too), `--only=<id>,<id>` (a subset; writes
 * results/partial.json and leaves the docs alone).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { consoleTable, verdict, writeDocs, writeJson, type RunInfo } from './lib/report';
import type { Scenario, ScenarioContext, ScenarioResult } from './lib/scenario';
import { appSigkill } from './scenarios/app-sigkill';
import { batchIngest } from './scenarios/batch-ingest';
import { brokerRestart } from './scenarios/broker-restart';
import { handlerErrors } from './scenarios/handler-errors';
import { malformedInputs } from './scenarios/malformed-inputs';
import { negativeControl } from './scenarios/negative-control';
import { redisOutage } from './scenarios/redis-outage';
import { sigterm } from './scenarios/sigterm';
import { slowHandlers } from './scenarios/slow-handlers';
import { throughput } from './scenarios/throughput';

const SCENARIOS: readonly Scenario[] = [
  appSigkill,
  brokerRestart,
  handlerErrors,
  slowHandlers,
  malformedInputs,
  redisOutage,
  sigterm,
  negativeControl,
  batchIngest,
  throughput,
];
const ROOT = join(__dirname, '..', '..', '..');
const RESULTS = join(ROOT, 'test', 'reliability', 'results');
const DOCS = join(ROOT, 'docs', 'reliability.md');
const REDIS_URL = process.env.RELIABILITY_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A stuck scenario must not hold the whole suite (and CI) hostage. */
const SCENARIO_TIMEOUT_MS = 180_000;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const selected = args.only ? SCENARIOS.filter((s) => args.only?.includes(s.id)) : SCENARIOS;
  if (selected.length === 0)
    throw new Error(`--only matches none of: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  await preflight();
  const startedAt = new Date();
  const workDir = await mkdtemp(join(tmpdir(), 'routemq-reliability-run-'));
  const runId = `r${startedAt.getTime().toString(36)}`;
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of selected)
      results.push(await runOne(scenario, { runId, redisUrl: REDIS_URL, workDir }));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const failedTargets = results.some((r) => r.targets.some((t) => !t.pass));
  const passed = results.every((r) => verdict(r) === 'PASS') && !(args.check && failedTargets);
  const info: RunInfo = {
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    mosquitto: mosquittoVersion(),
    strictTargets: args.check,
    passed,
  };
  console.log(consoleTable(results, info));
  if (args.only) {
    await writeJson(join(RESULTS, 'partial.json'), results, info);
  } else {
    await writeJson(join(RESULTS, 'latest.json'), results, info);
    await writeDocs(DOCS, results, info);
  }
  return passed ? 0 : 1;
}

async function runOne(scenario: Scenario, base: Omit<ScenarioContext, 'log'>): Promise<ScenarioResult> {
  console.log(`\n== ${scenario.title}`);
  const ctx: ScenarioContext = { ...base, log: (line) => console.log(`[${scenario.id}] ${line}`) };
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`)),
      SCENARIO_TIMEOUT_MS,
    );
  });
  try {
    const report = await Promise.race([scenario.run(ctx), timeout]);
    const result = { id: scenario.id, title: scenario.title, durationMs: Date.now() - started, ...report };
    for (const c of report.checks) ctx.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`);
    for (const t of report.targets)
      ctx.log(`${t.pass ? 'PASS' : 'FAIL'} target ${t.name}: ${t.value} ${t.unit} (${t.threshold})`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`ERROR ${message}`);
    const failed = { summary: '', figures: {}, checks: [], targets: [] };
    return {
      id: scenario.id,
      title: scenario.title,
      durationMs: Date.now() - started,
      ...failed,
      error: message,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Stops at once, with the fix, when a tool the suite needs is missing. */
async function preflight(): Promise<void> {
  for (const [binary, flag] of [
    ['mosquitto', '-h'],
    ['redis-server', '--version'],
  ]) {
    if (spawnSync(binary, [flag]).error)
      throw new Error(`${binary} is not installed (apt-get install ${binary})`);
  }
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `The oracle's Redis at ${REDIS_URL} is unreachable (set RELIABILITY_REDIS_URL): ${String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    redis.disconnect();
  }
}

function mosquittoVersion(): string {
  const output = spawnSync('mosquitto', ['-h']).stdout?.toString() ?? '';
  return output.match(/mosquitto version [\d.]+/i)?.[0] ?? 'mosquitto';
}

function parseArgs(argv: readonly string[]): { check: boolean; only?: string[] } {
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknown = argv.filter((a) => a !== '--check' && !a.startsWith('--only='));
  if (unknown.length > 0)
    throw new Error(`unknown option(s) ${unknown.join(' ')}; use --check, --only=<id,...>`);
  return { check: argv.includes('--check'), only };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('reliability suite failed to run:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
