/**
 * Scenario 7: SIGTERM under load, then a restart, three times. Graceful shutdown stops intake, lets
 * the handlers in flight finish, sends their acknowledgements and leaves the rest unacknowledged for
 * the next process: 0 lost and 0 processed twice, each exit with code 0.
 */
import { publishUnderChaos, spread } from '../lib/chaos-run';
import { Rig } from '../lib/rig';
import { check, sample, type Scenario, type ScenarioReport } from '../lib/scenario';

const MESSAGES = 4000;
const RATE = 400;
const STOPS = 3;

export const sigterm: Scenario = {
  id: 'sigterm',
  title: '7. SIGTERM under load, then restart (3 times)',
  async run(ctx) {
    // 20 ms handlers at concurrency 16: a SIGTERM always finds handlers in flight.
    const rig = await Rig.open(ctx, 'sigterm', {
      fixture: 'load-app',
      env: { ROUTE_CONCURRENCY: '16', WORK_MS: '20' },
    });
    try {
      const steps = spread(MESSAGES, STOPS, (k) => ({
        name: `SIGTERM ${k + 1}`,
        action: async () => {
          await rig.app.kill('SIGTERM');
          await rig.app.start();
        },
      }));
      const load = { topic: 'load', idPrefix: 'sigterm', messages: MESSAGES, ratePerSec: RATE };
      await publishUnderChaos(ctx, rig, { ...load, steps, stepName: 'stops' });
      await rig.oracle.settle(rig.load.sent, 5000);
      await rig.stopApp();
      return await judge(rig, ctx.log);
    } finally {
      await rig.close();
    }
  },
};

async function judge(rig: Rig, log: (line: string) => void): Promise<ScenarioReport> {
  const tally = await rig.oracle.tally(rig.load.sent);
  const exits = rig.app.exits;
  const clean = exits.filter((e) => e.code === 0).length;
  const stats = rig.app.linesMatching(/^stopped$/).map((l) => l.stats as Record<string, number>);
  const withheld = stats.reduce((sum, s) => sum + (s.withheld ?? 0), 0);
  log(`done: ${tally.processed}/${tally.sent} processed, ${tally.lost} lost, ${tally.duplicatedIds} twice`);
  return {
    summary:
      `${tally.sent} sent, ${tally.lost} lost, ${tally.duplicatedIds} processed twice, ` +
      `${clean}/${exits.length} exits with 0, ${withheld} withheld for the next process`,
    figures: {
      sent: tally.sent,
      processed: tally.processed,
      lost: tally.lost,
      processed_twice: tally.duplicatedIds,
      sigterms: exits.length,
      exits_code_0: clean,
      withheld_for_redelivery: withheld,
    },
    checks: [
      check('0 lost', tally.lost === 0, `${tally.lost} of ${tally.sent} lost${sample(tally.lostSample)}`),
      check(
        '0 processed twice',
        tally.duplicatedIds === 0,
        `${tally.duplicatedIds} ids processed more than once${sample(tally.duplicateSample)}`,
      ),
      check(
        'every stop exits 0',
        clean === exits.length && exits.length === STOPS + 1,
        `${clean} of ${exits.length} exits with code 0`,
      ),
    ],
    targets: [],
  };
}
