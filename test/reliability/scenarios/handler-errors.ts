/**
 * Scenario 3: on one route 10 % of messages fail twice then succeed and 1 % always fail, while a
 * second route gets clean traffic. Transient ones are all processed, each poison message gives exactly
 * one dead letter, and the healthy route's throughput is compared with a run without failures.
 *
 * Throughput is measured on a backlog (see throughput.ts) through a broker without per-change saves.
 * It is measured twice: straight to Mosquitto 2.0.11, which overshoots the app's receive maximum after
 * the first PUBACKs (so a retrying message never holds the others back), and through a proxy that
 * enforces the window of 100 as MQTT 5 requires (what Mosquitto 2.1 or EMQX do). The target is judged
 * on the latter.
 */
import { Rig } from '../lib/rig';
import type { Check, Scenario, ScenarioContext, Target } from '../lib/scenario';
import { faultChecks, faultCount, PER_ROUTE, queueAndDrain } from './handler-errors-phase';

const MIN_RATIO = 0.9;
/** The app's MQTT_RECEIVE_MAXIMUM (the framework's default). */
const WINDOW = 500;

interface Comparison {
  readonly baseline: number;
  readonly faulty: number;
  readonly checks: Check[];
  readonly retries: number;
  readonly letters: number;
}

export const handlerErrors: Scenario = {
  id: 'handler-errors',
  title: '3. 10 % transient and 1 % poison messages next to a healthy route',
  async run(ctx) {
    const direct = await compare(ctx, undefined);
    const enforced = await compare(ctx, WINDOW);
    const ratio = (c: Comparison): number => Math.round((c.faulty / c.baseline) * 1000) / 1000;
    const target: Target = {
      name: `healthy route throughput vs no failures (receive maximum ${WINDOW} enforced)`,
      value: ratio(enforced),
      unit: 'ratio',
      threshold: `>= ${MIN_RATIO}`,
      pass: ratio(enforced) >= MIN_RATIO,
    };
    const rates = (c: Comparison): string => `${Math.round(c.faulty)} vs ${Math.round(c.baseline)} msg/s`;
    return {
      summary:
        `${faultCount('transient')} transient all processed, ${enforced.letters} dead letters for ` +
        `${faultCount('poison')} poison; healthy route ${rates(enforced)} (ratio ${ratio(enforced)}) with the ` +
        `window enforced, ${rates(direct)} (ratio ${ratio(direct)}) straight to Mosquitto 2.0.11`,
      figures: {
        messages_per_route: PER_ROUTE,
        transient: faultCount('transient'),
        poison: faultCount('poison'),
        dead_letters: enforced.letters,
        retries: enforced.retries,
        enforced_window_healthy_baseline_msg_per_s: Math.round(enforced.baseline),
        enforced_window_healthy_with_failures_msg_per_s: Math.round(enforced.faulty),
        enforced_window_ratio: ratio(enforced),
        direct_healthy_baseline_msg_per_s: Math.round(direct.baseline),
        direct_healthy_with_failures_msg_per_s: Math.round(direct.faulty),
        direct_ratio: ratio(direct),
      },
      checks: [...direct.checks.map((c) => ({ ...c, name: `direct: ${c.name}` })), ...enforced.checks],
      targets: [target],
    };
  },
};

/** A run without failures, then one with them, both with or both without the enforced window. */
async function compare(ctx: ScenarioContext, window: number | undefined): Promise<Comparison> {
  const label = window ? `window ${window} enforced` : 'straight to mosquitto';
  const baseline = await phase(ctx, false, window, `${label}, no failures`);
  const faulty = await phase(ctx, true, window, `${label}, with failures`);
  return { baseline: baseline.rate, ...faulty, faulty: faulty.rate };
}

async function phase(ctx: ScenarioContext, faults: boolean, window: number | undefined, label: string) {
  const rig = await Rig.open(ctx, `errors-${faults ? 'faulty' : 'clean'}-${window ?? 'direct'}`, {
    fixture: 'faults-app',
    persistence: false,
    deadLetters: true,
    enforcedWindow: window,
    env: { ROUTE_CONCURRENCY: '16', WORK_MS: '2' },
  });
  try {
    const drained = await queueAndDrain(rig, faults);
    ctx.log(
      `${label}: healthy route ${Math.round(drained.rate)} msg/s, everything done in ${drained.spanMs} ms, ` +
        `${drained.stats?.retried ?? '?'} retries, ${drained.stats?.deadLettered ?? '?'} dead-lettered`,
    );
    const checks = faults ? await faultChecks(rig) : [];
    return {
      rate: drained.rate,
      checks,
      retries: drained.stats?.retried ?? -1,
      letters: rig.deadLetters?.letters.length ?? 0,
    };
  } finally {
    await rig.close();
  }
}
