/**
 * Scenario 9: 20,000 readings through a batch route into PostgreSQL (docs/batching.md) while the app
 * is SIGKILLed 3 times and restarted with the same client id. Judged by the tables themselves: every
 * acknowledged reading is stored (0 missing), redelivered batches make duplicates in the table without
 * a key and none in the keyed one, and each poison reading (1 per 1,000) is dead-lettered on its own
 * while its batch neighbours are stored.
 */
import { Pool } from 'pg';
import { publishUnderChaos, spread } from '../lib/chaos-run';
import { delay, Rig } from '../lib/rig';
import { check, sample, type Scenario, type ScenarioContext } from '../lib/scenario';

export const PLAN = { messages: 20_000, ratePerSec: 1000, kills: 3 };
const DATABASE_URL = process.env.RELIABILITY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DRAIN_TIMEOUT_MS = 60_000;

interface Counts {
  readonly plainRows: number;
  readonly plainIds: number;
  readonly keyedRows: number;
  readonly storedIds: ReadonlySet<string>;
}

export const batchIngest: Scenario = {
  id: 'batch-ingest',
  title: '9. Batch route into PostgreSQL, app SIGKILLed 3 times during 20,000 readings',
  async run(ctx) {
    const schema = `reliability_batch_${ctx.runId}`.toLowerCase();
    const pool = new Pool({ connectionString: DATABASE_URL, max: 1 });
    await createTables(pool, schema);
    const rig = await Rig.open(ctx, 'batch-ingest', {
      fixture: 'batch-ingest-app',
      persistence: false,
      deadLetters: true,
      env: { BATCH_DATABASE_URL: DATABASE_URL, BATCH_SCHEMA: schema, MQTT_RECEIVE_MAXIMUM: '1000' },
    });
    try {
      const steps = spread(PLAN.messages, PLAN.kills, (k) => ({
        name: `SIGKILL ${k + 1}`,
        action: async () => {
          await rig.app.kill('SIGKILL');
          await rig.app.start();
        },
      }));
      const load = { topic: 'ingest', idPrefix: 'r', messages: PLAN.messages, ratePerSec: PLAN.ratePerSec };
      const chaos = await publishUnderChaos(ctx, rig, { ...load, steps, stepName: 'kills' });
      const sent = rig.load.sent;
      const poison = [...sent].filter(isPoison);
      const counts = await drained(ctx, pool, schema, sent.size - poison.length);
      await rig.stopApp();
      const missing = [...sent].filter((id) => !isPoison(id) && !counts.storedIds.has(id));
      const letters = rig.deadLetters?.letters ?? [];
      const lettered = new Set(letters.map((l) => idOfBody(l.payload)));
      const isolated = letters.filter((l) => l.error.code === 'ERR_BATCH_ITEM_FAILED');
      const strayLetters = letters.filter((l) => !isPoison(idOfBody(l.payload)));
      const poisonStored = poison.filter((id) => counts.storedIds.has(id));
      const duplicates = counts.plainRows - counts.plainIds;
      const keyedDuplicates = counts.keyedRows - counts.storedIds.size;
      ctx.log(
        `done: ${counts.storedIds.size} stored, ${missing.length} missing, ${duplicates} duplicates without a key, ` +
          `${keyedDuplicates} with one, ${lettered.size}/${poison.length} poison dead-lettered`,
      );
      return {
        summary:
          `${sent.size} sent, ${missing.length} missing, duplicates ${duplicates} plain / ${keyedDuplicates} keyed, ` +
          `${lettered.size}/${poison.length} poison dead-lettered alone, ${chaos.done.length} SIGKILLs`,
        figures: {
          sent: sent.size,
          stored: counts.storedIds.size,
          missing: missing.length,
          duplicates_plain: duplicates,
          duplicates_keyed: keyedDuplicates,
          poison: poison.length,
          poison_dead_lettered: lettered.size,
          dead_letters: letters.length,
          kills: chaos.done.length,
        },
        checks: [
          check(
            '0 missing',
            missing.length === 0,
            `${missing.length} of ${sent.size - poison.length} missing${sample(missing)}`,
          ),
          check(
            '0 duplicates with the unique key',
            keyedDuplicates === 0,
            `${keyedDuplicates} duplicate rows`,
          ),
          check(
            'every poison reading dead-lettered, on its own',
            lettered.size === poison.length && isolated.length === letters.length,
            `${lettered.size} of ${poison.length} poison ids dead-lettered, ${isolated.length} of ${letters.length} letters ERR_BATCH_ITEM_FAILED`,
          ),
          check(
            'no neighbour dead-lettered, no poison stored',
            strayLetters.length === 0 && poisonStored.length === 0,
            `${strayLetters.length} healthy readings dead-lettered, ${poisonStored.length} poison stored`,
          ),
          check('3 kills done', chaos.done.length === PLAN.kills, `${chaos.done.length} SIGKILLs`),
          check(
            'no unexpected exit',
            rig.app.crashes.length === 0,
            `${rig.app.crashes.length} unexpected exits`,
          ),
        ],
        targets: [],
      };
    } finally {
      await rig.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    }
  },
};

function isPoison(id: string): boolean {
  return Number(id.slice(id.lastIndexOf('-') + 1)) % 1000 === 999;
}

function idOfBody(payload: string | undefined): string {
  return payload === undefined ? '' : (JSON.parse(payload) as { id: string }).id;
}

async function createTables(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.query(`CREATE SCHEMA ${schema}`);
  const check = 'temperature double precision NOT NULL CHECK (temperature < 1000)';
  await pool.query(`CREATE TABLE ${schema}.plain (id text NOT NULL, ${check})`);
  await pool.query(`CREATE TABLE ${schema}.keyed (id text PRIMARY KEY, ${check})`);
}

/** Waits until the keyed table holds `expected` readings (or the timeout), then counts both tables. */
async function drained(ctx: ScenarioContext, pool: Pool, schema: string, expected: number): Promise<Counts> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.keyed`);
    const stored = Number(rows[0].n);
    if (stored >= expected || Date.now() > deadline) break;
    ctx.log(`draining: ${stored}/${expected} stored`);
    await delay(1000);
  }
  // Late redeliveries still land: give them a moment, so the duplicate count is complete.
  await delay(2000);
  const plain = await pool.query<{ rows: string; ids: string }>(
    `SELECT count(*) AS rows, count(DISTINCT id) AS ids FROM ${schema}.plain`,
  );
  const keyed = await pool.query<{ id: string }>(`SELECT id FROM ${schema}.keyed`);
  return {
    plainRows: Number(plain.rows[0].rows),
    plainIds: Number(plain.rows[0].ids),
    keyedRows: keyed.rows.length,
    storedIds: new Set(keyed.rows.map((r) => r.id)),
  };
}
