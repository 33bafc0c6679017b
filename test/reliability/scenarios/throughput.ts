/**
 * The performance that must hold: a QoS 1 route whose handler awaits 5 ms, `concurrency: 16`, one
 * process, at least 2,000 messages/s through Mosquitto; and the same route at concurrency 1.
 *
 * Measured on a backlog: the messages are queued in the app's persistent session while it is stopped,
 * then the app is started and drains them. The rate is taken between the first and the last handler
 * that finished (recorded in Redis), so the load generator's CPU does not compete with the app on this
 * 2-core machine, and the app's start-up time is not counted. The broker does not save on every change
 * here: that alone caps Mosquitto 2.0.11 below the target (measured too, as `broker_alone_*`).
 */
import { Rig, numbered } from '../lib/rig';
import { brokerCeiling } from './broker-ceiling';
import { atLeast, check, type Scenario, type ScenarioContext, type ScenarioReport } from '../lib/scenario';

/** Messages of the broker-alone measurement (broker-ceiling.ts): fewer when saving is slow. */
const CEILING_MESSAGES = { saving: 2000, plain: 20_000 };
const RUNS = [
  { concurrency: 16, messages: 20_000, target: 2000 },
  { concurrency: 1, messages: 1_000, target: 0 },
];

export const throughput: Scenario = {
  id: 'throughput',
  title: 'Throughput: QoS 1, handler awaits 5 ms, concurrency 16 vs 1',
  async run(ctx) {
    const report: ScenarioReport = { summary: '', figures: {}, checks: [], targets: [] };
    for (const run of RUNS) {
      const { rate, lost } = await drainRate(ctx, run.concurrency, run.messages);
      report.figures[`rate_c${run.concurrency}_msg_per_s`] = Math.round(rate);
      report.figures[`messages_c${run.concurrency}`] = run.messages;
      report.checks.push(check(`concurrency ${run.concurrency}: nothing lost`, lost === 0, `${lost} lost`));
      if (run.target > 0)
        report.targets.push(
          atLeast(`concurrency ${run.concurrency} rate`, Math.round(rate), run.target, 'msg/s'),
        );
    }
    await measureBrokerAlone(ctx, report);
    const rates = RUNS.map(
      (r) => `concurrency ${r.concurrency}: ${report.figures[`rate_c${r.concurrency}_msg_per_s`]} msg/s`,
    );
    const alone = `Mosquitto alone ${report.figures.broker_alone_no_persistence_msg_per_s} msg/s (${report.figures.broker_alone_saving_every_change_msg_per_s} saving on every change)`;
    report.summary = `${rates.join(', ')}; ${alone}`;
    return report;
  },
};

/** The broker's own ceiling, with and without saving on every change (broker-ceiling.ts). */
async function measureBrokerAlone(ctx: ScenarioContext, report: ScenarioReport): Promise<void> {
  for (const saving of [false, true]) {
    const count = CEILING_MESSAGES[saving ? 'saving' : 'plain'];
    const rate = Math.round(await brokerCeiling(saving, count, ctx.runId));
    report.figures[`broker_alone_${saving ? 'saving_every_change' : 'no_persistence'}_msg_per_s`] = rate;
    ctx.log(`Mosquitto alone, ${saving ? 'saving on every change' : 'no persistence'}: ${rate} msg/s`);
  }
}

async function drainRate(
  ctx: ScenarioContext,
  concurrency: number,
  count: number,
): Promise<{ rate: number; lost: number }> {
  const rig = await Rig.open(ctx, `throughput-c${concurrency}`, {
    fixture: 'load-app',
    persistence: false,
    env: { ROUTE_CONCURRENCY: String(concurrency), WORK_MS: '5' },
  });
  try {
    await rig.stopApp();
    await rig.load.publishAll(numbered('load', `c${concurrency}`, count), { window: 500 });
    ctx.log(`concurrency ${concurrency}: ${count} messages queued; starting the app`);
    await rig.app.start();
    await rig.oracle.settle(rig.load.sent, 15_000);
    const window = await rig.oracle.window('load');
    const tally = await rig.oracle.tally(rig.load.sent);
    const seconds = window ? (window.last - window.first) / 1000 : Infinity;
    const rate = (tally.processed - 1) / seconds;
    ctx.log(`concurrency ${concurrency}: ${tally.processed} processed at ${Math.round(rate)} msg/s`);
    return { rate, lost: tally.lost };
  } finally {
    await rig.close();
  }
}
