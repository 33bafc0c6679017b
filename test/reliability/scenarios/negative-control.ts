/**
 * Scenario 8, the negative control: scenario 1's load and kills against an app that acknowledges on
 * receipt (plain mqtt.js 'message' listener, as NestJS's MQTT transport). It must show loss; if it
 * does not, the oracle cannot see loss and the "0 lost" of the other scenarios proves nothing.
 */
import { check, sample, type Scenario } from '../lib/scenario';
import { PLAN } from './app-sigkill';
import { runWithKills } from './kill-run';

export const negativeControl: Scenario = {
  id: 'negative-control',
  title: '8. Negative control: ack-on-receipt app, same load and kills as 1',
  async run(ctx) {
    const result = await runWithKills(
      ctx,
      'negative-control',
      { fixture: 'ack-on-receipt', env: { WORK_MS: '5' }, readyMessage: /^ready$/ },
      PLAN,
    );
    const { tally } = result;
    return {
      summary: `${tally.sent} sent, ${tally.lost} lost (loss expected), ${tally.duplicates} duplicates, ${result.kills} SIGKILLs`,
      figures: {
        sent: tally.sent,
        processed: tally.processed,
        lost: tally.lost,
        duplicates: tally.duplicates,
        kills: result.kills,
      },
      checks: [
        check(
          'the oracle sees the loss of ack-on-receipt',
          tally.lost > 0,
          `${tally.lost} of ${tally.sent} lost${sample(tally.lostSample)}`,
        ),
        check('5 kills done', result.kills === PLAN.kills, `${result.kills} SIGKILLs`),
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
