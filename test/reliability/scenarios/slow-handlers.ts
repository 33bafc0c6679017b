/**
 * Scenario 4: handlers three times as long as the keepalive (MQTT_KEEPALIVE=2, each handler 6 s).
 * The connection must stay up (no keepalive timeout, no reconnect) and each message run once.
 */
import { Rig } from '../lib/rig';
import { check, type Scenario } from '../lib/scenario';
import { startTicker } from '../lib/ticker';

const MESSAGES = 8;
const KEEPALIVE_S = 2;
const SLOW_MS = 6000;

export const slowHandlers: Scenario = {
  id: 'slow-handlers',
  title: '4. Handlers 3x the keepalive (2 s keepalive, 6 s handlers)',
  async run(ctx) {
    const rig = await Rig.open(ctx, 'slow-handlers', {
      fixture: 'slow-app',
      env: { MQTT_KEEPALIVE: String(KEEPALIVE_S), SLOW_MS: String(SLOW_MS), ROUTE_CONCURRENCY: '4' },
    });
    const ticker = startTicker(
      ctx.log,
      async () => `processed ${await rig.oracle.processedCount()}/${MESSAGES}`,
    );
    try {
      const messages = Array.from({ length: MESSAGES }, (_, n) => ({
        topic: `slow/${n}`,
        id: `s-${n}`,
        payload: JSON.stringify({ id: `s-${n}` }),
      }));
      await rig.load.publishAll(messages);
      await rig.oracle.settle(rig.load.sent, 2 * SLOW_MS + 2000);
      // One more keepalive period or two after the last handler: a late timeout would show here.
      await new Promise((resolve) => setTimeout(resolve, 2 * KEEPALIVE_S * 1000));
      await rig.stopApp();
      const counts = await rig.oracle.counts();
      const once = [...rig.load.sent].filter((id) => counts.get(id) === 1).length;
      const lost = rig.app.linesMatching(/MQTT connection lost/).length;
      const timeouts = rig.app.logs.filter((l) => /keepalive/i.test(JSON.stringify(l.err ?? ''))).length;
      const reconnects = rig.app.linesMatching(/^reconnected to the MQTT broker$/).length;
      ctx.log(
        `done: ${once}/${MESSAGES} processed once, ${lost} connection losses, ${timeouts} keepalive errors`,
      );
      return {
        summary: `${once}/${MESSAGES} processed once, ${timeouts} keepalive timeouts, ${lost} disconnects, ${reconnects} reconnects`,
        figures: {
          messages: MESSAGES,
          keepalive_s: KEEPALIVE_S,
          handler_ms: SLOW_MS,
          processed_once: once,
          connection_lost_logs: lost,
          keepalive_errors: timeouts,
          reconnects,
        },
        checks: [
          check('each message processed exactly once', once === MESSAGES, `${once} of ${MESSAGES}`),
          check('0 keepalive timeouts', timeouts === 0, `${timeouts} keepalive errors logged`),
          check(
            'no disconnect, no reconnect',
            lost === 0 && reconnects === 0,
            `${lost} 'MQTT connection lost', ${reconnects} reconnects`,
          ),
          check('no unexpected exit', rig.app.crashes.length === 0, `${rig.app.crashes.length} exits`),
        ],
        targets: [],
      };
    } finally {
      ticker.stop();
      await rig.close();
    }
  },
};
