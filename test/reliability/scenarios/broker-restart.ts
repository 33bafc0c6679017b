/**
 * Scenario 2: the broker restarted twice during a run (each down 2 s), with persistence saved on every
 * change. 0 lost; the app reconnects (backoff with jitter) and processes again within 5 s of the broker
 * being back. Restarts are SIGTERM (a restart): a SIGKILLed Mosquitto can lose the last messages it
 * acknowledged before saving them, which is the broker's durability, not the app's (docs/reliability.md).
 */
import { publishUnderChaos } from '../lib/chaos-run';
import { Rig, delay } from '../lib/rig';
import { check, sample, type Check, type Scenario, type ScenarioReport } from '../lib/scenario';

const MESSAGES = 5000;
const RATE = 250;
const DOWN_MS = 2000;
const LIMIT_MS = 5000;

interface Restart {
  readonly signal: NodeJS.Signals;
  /** Broker back (accepting connections) to the app's 'MQTT connection restored' log line. */
  reconnectMs?: number;
  /** Broker back to the first message processed after it. */
  firstProcessedMs?: number;
  /** Whether the broker kept the app's session (else RouteMQ subscribed again). */
  sessionPresent?: boolean;
}

export const brokerRestart: Scenario = {
  id: 'broker-restart',
  title: '2. Broker restarted twice (SIGTERM) during 5,000 messages',
  async run(ctx) {
    const rig = await Rig.open(ctx, 'broker-restart', {
      fixture: 'load-app',
      env: { ROUTE_CONCURRENCY: '16', WORK_MS: '5' },
    });
    try {
      const restarts: Restart[] = [{ signal: 'SIGTERM' }, { signal: 'SIGTERM' }];
      const steps = restarts.map((restart, i) => ({
        atAcked: Math.round((MESSAGES * (i + 1)) / 3),
        name: `broker ${restart.signal}`,
        action: () => restartBroker(rig, restart),
      }));
      const load = { topic: 'load', idPrefix: 'broker', messages: MESSAGES, ratePerSec: RATE };
      const chaos = await publishUnderChaos(ctx, rig, { ...load, steps, stepName: 'broker restarts' });
      await rig.oracle.settle(rig.load.sent, 5000);
      await rig.stopApp();
      return await judge(rig, restarts, chaos.done.length, ctx.log);
    } finally {
      await rig.close();
    }
  },
};

async function restartBroker(rig: Rig, restart: Restart): Promise<void> {
  await rig.broker.kill(restart.signal);
  await delay(DOWN_MS);
  await rig.broker.restart();
  const upAt = Date.now();
  // Handlers that were running when the broker went away may still record: count from "back".
  const before = await rig.oracle.processedCount();
  const deadline = upAt + 15_000;
  while (Date.now() < deadline && restart.firstProcessedMs === undefined) {
    if ((await rig.oracle.processedCount()) > before) restart.firstProcessedMs = Date.now() - upAt;
    else await delay(20);
  }
  // The app may connect between the broker listening and the runner noticing it: allow a little before.
  const restored = rig.app.linesMatching(/^MQTT connection restored$/, upAt - 1000).at(0);
  if (restored?.time !== undefined) restart.reconnectMs = Math.max(0, restored.time - upAt);
  const reconnected = rig.app.linesMatching(/^reconnected to the MQTT broker$/, upAt - 1000).at(0);
  restart.sessionPresent = reconnected?.sessionPresent === true;
}

async function judge(
  rig: Rig,
  restarts: readonly Restart[],
  done: number,
  log: (line: string) => void,
): Promise<ScenarioReport> {
  const tally = await rig.oracle.tally(rig.load.sent);
  log(
    `done: ${tally.processed}/${tally.sent} processed, ${tally.lost} lost, ` +
      `${tally.duplicates} duplicates${sample(tally.duplicateSample)}`,
  );
  const figures: Record<string, number | string | boolean> = {
    sent: tally.sent,
    processed: tally.processed,
    lost: tally.lost,
    duplicates: tally.duplicates,
  };
  restarts.forEach((r, i) => {
    figures[`restart${i + 1}_${r.signal}_reconnect_ms`] = r.reconnectMs ?? -1;
    figures[`restart${i + 1}_${r.signal}_first_processed_ms`] = r.firstProcessedMs ?? -1;
    figures[`restart${i + 1}_session_present`] = r.sessionPresent ?? false;
  });
  const checks: Check[] = [
    check('0 lost', tally.lost === 0, `${tally.lost} of ${tally.sent} lost${sample(tally.lostSample)}`),
    check('2 restarts done', done === restarts.length, `${done} restarts`),
    check('no unexpected exit', rig.app.crashes.length === 0, `${rig.app.crashes.length} exits`),
    check('every publish acknowledged', rig.load.failures === 0, `${rig.load.failures} failures`),
    ...restarts.map((r, i) => reconnectCheck(r, i)),
  ];
  const times = restarts.map(
    (r) => `${r.signal}: reconnected ${r.reconnectMs ?? '-'} ms, processing ${r.firstProcessedMs ?? '-'} ms`,
  );
  const summary = `${tally.sent} sent, ${tally.lost} lost, ${tally.duplicates} duplicates; ${times.join('; ')}`;
  return { summary, figures, checks, targets: [] };
}

function reconnectCheck(r: Restart, i: number): Check {
  const pass = (r.reconnectMs ?? Infinity) <= LIMIT_MS && (r.firstProcessedMs ?? Infinity) <= LIMIT_MS;
  return check(
    `restart ${i + 1} (${r.signal}): reconnected and processing within 5 s`,
    pass,
    `reconnected after ${r.reconnectMs ?? 'never'} ms, first message processed after ${r.firstProcessedMs ?? 'never'} ms`,
  );
}
