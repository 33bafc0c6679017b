/**
 * Scenario 6: the Redis the handler needs is stopped for 10 s mid-run. Its errors ("Command timed
 * out", "Connection is closed", ECONNREFUSED) mean "dependency unavailable": the framework retries
 * them until Redis is back and never dead-letters them. 0 lost, the app process up throughout.
 */
import { publishUnderChaos } from '../lib/chaos-run';
import { startRedisServer, type RedisServer } from '../lib/redis-server';
import { Rig, delay } from '../lib/rig';
import { check, sample, type Scenario, type ScenarioContext, type ScenarioReport } from '../lib/scenario';

const MESSAGES = 3000;
const RATE = 150;
const OUTAGE_MS = 10_000;

/** When Redis came back, and how many messages were acknowledged by then. */
interface Outage {
  backAt: number;
  ackedAtBack: number;
}

export const redisOutage: Scenario = {
  id: 'redis-outage',
  title: "6. The handler's Redis stopped for 10 s mid-run",
  async run(ctx) {
    const redis = await startRedisServer();
    let rig: Rig | undefined;
    try {
      rig = await Rig.open(ctx, 'redis-outage', {
        fixture: 'redis-app',
        deadLetters: true,
        env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '500', ROUTE_CONCURRENCY: '8' },
      });
      const outage = await drive(ctx, rig, redis);
      return await judge(ctx.log, rig, outage);
    } finally {
      await rig?.close();
      await redis.stop();
    }
  },
};

/** Publishes the load, with Redis stopped for OUTAGE_MS after a fifth of it. */
async function drive(ctx: ScenarioContext, rig: Rig, redis: RedisServer): Promise<Outage> {
  const outage: Outage = { backAt: 0, ackedAtBack: 0 };
  const steps = [
    {
      atAcked: Math.round(MESSAGES / 5),
      name: 'redis down 10 s',
      action: async () => {
        await redis.stop();
        ctx.log('redis stopped');
        await delay(OUTAGE_MS);
        await redis.start();
        outage.backAt = Date.now();
        outage.ackedAtBack = rig.load.sent.size;
        ctx.log('redis started again');
      },
    },
  ];
  const load = { topic: 'work', idPrefix: 'redis', messages: MESSAGES, ratePerSec: RATE };
  await publishUnderChaos(ctx, rig, { ...load, steps, stepName: 'outages' });
  return outage;
}

async function judge(log: (line: string) => void, rig: Rig, outage: Outage): Promise<ScenarioReport> {
  const caughtUpMs = await timeToProcess(rig, outage.ackedAtBack, outage.backAt);
  await rig.oracle.settle(rig.load.sent, 10_000);
  const stats = await rig.stopApp();
  const tally = await rig.oracle.tally(rig.load.sent);
  const letters = rig.deadLetters?.letters.length ?? 0;
  const retries = stats?.retried ?? -1;
  log(`done: ${tally.processed}/${tally.sent} processed, ${tally.lost} lost, ${letters} dead letters`);
  return {
    summary:
      `${tally.sent} sent, ${tally.lost} lost, ${letters} dead letters, ${retries} retries, ` +
      `caught up ${caughtUpMs} ms after Redis returned, ${rig.app.starts} process`,
    figures: {
      sent: tally.sent,
      processed: tally.processed,
      lost: tally.lost,
      duplicates: tally.duplicates,
      outage_ms: OUTAGE_MS,
      retries,
      dead_letters: letters,
      app_processes: rig.app.starts,
      caught_up_after_redis_back_ms: caughtUpMs,
    },
    checks: [
      check('0 lost', tally.lost === 0, `${tally.lost} of ${tally.sent} lost${sample(tally.lostSample)}`),
      check(
        'process up throughout',
        rig.app.starts === 1 && rig.app.crashes.length === 0,
        `${rig.app.starts} process(es), ${rig.app.crashes.length} unexpected exits`,
      ),
      check('nothing dead-lettered', letters === 0, `${letters} dead letters`),
      check('the outage was seen and retried', retries > 0, `${retries} retries`),
    ],
    targets: [],
  };
}

/** Time from Redis back until `count` messages are processed (those acknowledged by then). */
async function timeToProcess(rig: Rig, count: number, since: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  while ((await rig.oracle.processedCount()) < count && Date.now() < deadline) await delay(50);
  return Date.now() - since;
}
