/**
 * Scenario 1: 10,000 QoS 1 messages while the app is SIGKILLed 5 times and restarted. Ack-after-handler
 * plus a persistent session: every message the app had not finished is redelivered, so nothing is lost;
 * what it finished but had not yet acknowledged runs twice (at-least-once), and is counted.
 */
import { check, sample, type Scenario } from '../lib/scenario';
import { runWithKills } from './kill-run';

export const PLAN = { messages: 10_000, ratePerSec: 800, kills: 5 };
const APP_ENV = { ROUTE_CONCURRENCY: '16', WORK_MS: '5' };

export const appSigkill: Scenario = {
  id: 'app-sigkill',
  title: '1. App SIGKILLed 5 times during 10,000 QoS 1 messages',
  async run(ctx) {
    const result = await runWithKills(ctx, 'app-sigkill', { fixture: 'load-app', env: APP_ENV }, PLAN);
    const { tally } = result;
    return {
      summary:
        `${tally.sent} sent, ${tally.lost} lost, ${tally.duplicates} duplicates (${tally.duplicatedIds} ids), ` +
        `${result.kills} SIGKILLs, restart ${result.meanRestartMs} ms on average`,
      figures: {
        sent: tally.sent,
        processed: tally.processed,
        lost: tally.lost,
        duplicates: tally.duplicates,
        duplicated_ids: tally.duplicatedIds,
        kills: result.kills,
        mean_restart_ms: result.meanRestartMs,
        drain_after_last_publish_ms: result.drainMs,
      },
      checks: [
        check('0 lost', tally.lost === 0, `${tally.lost} of ${tally.sent} lost${sample(tally.lostSample)}`),
        check('5 kills done', result.kills === PLAN.kills, `${result.kills} SIGKILLs`),
        check('no unexpected exit', result.crashes === 0, `${result.crashes} unexpected exits`),
        check(
          'every publish acknowledged',
          result.publishFailures === 0,
          `${result.publishFailures} failures`,
        ),
      ],
      targets: [],
    };
  },
};
