/**
 * `npm run bench:ingest`: QoS 1 readings into PostgreSQL and SQLite through five subjects (protocol.ts),
 * rows per second and CPU per row, interleaved rounds, medians, a chart; every run's rows are counted.
 *
 * Options: `--messages=50000`, `--rounds=3`, `--db=postgres,sqlite`, `--subjects=<id,...>`.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test, schema bench_ingest).
 * @module
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type Broker } from '../lib/broker';
import { ROOT } from '../report/machine';
import { LABELS, SUBJECTS, subjectEnv, type Done, type Subject, type SubjectSettings } from './protocol';
import { markdown, mediansOf, targetsOf, throughputChart, type Run } from './report';
import { dropSession, prepareSession, publishReadings } from './session';
import { dropSchema, openStore, resetTable, type DatabaseKind } from './store';

interface Plan {
  readonly messages: number;
  readonly rounds: number;
  readonly databases: readonly DatabaseKind[];
  readonly subjects: readonly Subject[];
}

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A subject that has not stored everything by then is reported as failed (a stall, not slowness). */
const RUN_TIMEOUT_MS = 20 * 60_000;

async function main(): Promise<void> {
  const plan = readPlan(process.argv.slice(2));
  const startedAt = new Date();
  const broker = await startBroker();
  const sqliteDir = mkdtempSync(join(tmpdir(), 'routemq-ingest-'));
  const runs: Run[] = [];
  try {
    for (const database of plan.databases) {
      for (let round = 1; round <= plan.rounds; round++) {
        // Rotate the order each round: a slow moment of the machine does not always hit one subject.
        const order = plan.subjects.map((_, i) => plan.subjects[(i + round - 1) % plan.subjects.length]);
        for (const subject of order) {
          const target = database === 'postgres' ? PG_URL : join(sqliteDir, `${subject}-${round}.sqlite`);
          const run = await runOnce(broker, { database, subject, target, messages: plan.messages }, round);
          runs.push(run);
          console.log(
            `[${database} round ${round}/${plan.rounds}] ${LABELS[subject]}: ${Math.round(run.rowsPerSec)} rows/s, ` +
              `${run.cpuMicrosPerRow.toFixed(1)} µs CPU/row, ${run.rows} rows, ${run.lost} lost`,
          );
        }
      }
    }
  } finally {
    await broker.stop();
    rmSync(sqliteDir, { recursive: true, force: true });
    if (plan.databases.includes('postgres')) await dropSchema(PG_URL).catch(() => undefined);
  }
  await writeReport(plan, runs, startedAt);
}

async function runOnce(
  broker: Broker,
  base: Omit<SubjectSettings, 'url' | 'clientId'>,
  round: number,
): Promise<Run> {
  const settings: SubjectSettings = {
    ...base,
    url: broker.url,
    clientId: `ingest-${base.subject}-${round}-${randomBytes(3).toString('hex')}`,
  };
  await resetTable(settings.database, settings.target);
  await prepareSession(broker.url, settings.clientId);
  await publishReadings(broker.url, settings.messages);
  const done = await runSubject(settings);
  const store = openStore(settings.database, settings.target);
  const rows = await store.count();
  await store.close();
  await dropSession(broker.url, settings.clientId);
  await dropSession(broker.url, `${settings.clientId}-retry`);
  return {
    database: settings.database,
    subject: settings.subject,
    round,
    rowsPerSec: settings.messages / (done.elapsedMs / 1000),
    cpuMicrosPerRow: done.cpuMicros / settings.messages,
    rows,
    lost: Math.max(0, settings.messages - rows),
    duplicates: Math.max(0, rows - settings.messages),
  };
}

function runSubject(settings: SubjectSettings): Promise<Done> {
  const child = fork(join(__dirname, 'subject.js'), [], {
    env: { ...process.env, ...subjectEnv(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<Done>((resolve, reject) => {
    let done: Done | undefined;
    const timer = setTimeout(
      () => reject(new Error(`${settings.subject} did not finish in time`)),
      RUN_TIMEOUT_MS,
    );
    child.on('message', (message: Done) => {
      if (message.type !== 'done') return;
      done = message;
      clearTimeout(timer);
      // Give the last PUBACKs a moment to leave before the process ends.
      setTimeout(() => child.kill('SIGTERM'), 200);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (done) resolve(done);
      else reject(new Error(`${settings.subject} exited with code ${code} before storing every reading`));
    });
  });
}

async function writeReport(plan: Plan, runs: readonly Run[], startedAt: Date): Promise<void> {
  const medians = mediansOf(runs);
  const targets = targetsOf(medians);
  for (const t of targets)
    console.log(
      `${t.pass ? 'PASS' : 'FAIL'} ${t.database} ${t.name}: ${t.ratio.toFixed(2)}x (>= ${t.threshold}x)`,
    );
  const lost = runs.reduce((sum, r) => sum + r.lost, 0);
  console.log(lost === 0 ? 'every run: 0 lost (rows counted)' : `LOST ${lost} rows`);
  const docs = join(ROOT, 'docs', 'benchmarks');
  const results = join(ROOT, 'bench', 'results');
  mkdirSync(docs, { recursive: true });
  mkdirSync(results, { recursive: true });
  writeFileSync(join(docs, 'ingest-throughput.svg'), await throughputChart(medians));
  const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}.`;
  const info = {
    messages: plan.messages,
    rounds: plan.rounds,
    machine,
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
  };
  // Formatted as the repository's Prettier settings want it, so that `npm run lint` stays green.
  const prettier = await import('prettier');
  const page = join(docs, 'ingest.md');
  const options = (await prettier.resolveConfig(page)) ?? {};
  writeFileSync(
    page,
    await prettier.format(markdown(medians, targets, info), { ...options, filepath: page }),
  );
  writeFileSync(
    join(results, 'ingest.json'),
    `${JSON.stringify({ info, runs, medians, targets }, null, 2)}\n`,
  );
  console.log(
    'wrote docs/benchmarks/ingest.md, docs/benchmarks/ingest-throughput.svg, bench/results/ingest.json',
  );
  if (lost > 0) process.exitCode = 1;
}

function readPlan(argv: readonly string[]): Plan {
  const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const unknown = argv.filter((a) => !/^--(messages|rounds|db|subjects)=/.test(a));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(' ')}`);
  const databases = (option('db') ?? 'postgres,sqlite').split(',') as DatabaseKind[];
  const subjects = (option('subjects')?.split(',') ?? [...SUBJECTS]) as Subject[];
  const bad = [
    ...databases.filter((d) => d !== 'postgres' && d !== 'sqlite'),
    ...subjects.filter((s) => !SUBJECTS.includes(s)),
  ];
  if (bad.length > 0)
    throw new Error(`unknown database or subject: ${bad.join(', ')} (subjects: ${SUBJECTS.join(', ')})`);
  return {
    messages: Number(option('messages') ?? 50_000),
    rounds: Number(option('rounds') ?? 3),
    databases,
    subjects,
  };
}

main().catch((error: unknown) => {
  console.error('ingest benchmark failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
