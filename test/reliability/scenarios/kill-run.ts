/**
 * The procedure scenarios 1 and 8 share: N QoS 1 messages at a steady rate while the app process is
 * SIGKILLed K times and started again (same client id, so the same persistent session).
 *
 * The broker is never restarted here, so it runs without saving on every change. With those saves, a
 * loaded 2-core machine left Mosquitto seconds behind in reading its socket, and the reset socket of a
 * killed client discards the PUBACKs not read yet: the broker then redelivers messages the app had
 * acknowledged. That hides the loss of an ack-on-receipt app (one run of the negative control: 0 lost,
 * 3,252 duplicates) and inflates scenario 1's duplicates (2,319 in one run). Scenario 2 keeps the
 * saving broker, because there the broker is what dies.
 */
import { publishUnderChaos, spread } from '../lib/chaos-run';
import type { Tally } from '../lib/oracle';
import { Rig, type RigOptions } from '../lib/rig';
import { sample, type ScenarioContext } from '../lib/scenario';

export interface KillPlan {
  readonly messages: number;
  readonly ratePerSec: number;
  readonly kills: number;
}

export interface KillRunResult {
  readonly tally: Tally;
  readonly kills: number;
  readonly crashes: number;
  readonly publishFailures: number;
  /** From the last acknowledged publish to the last message processed. */
  readonly drainMs: number;
  /** Mean time from SIGKILL to the new process serving again. */
  readonly meanRestartMs: number;
}

export async function runWithKills(
  ctx: ScenarioContext,
  name: string,
  options: RigOptions,
  plan: KillPlan,
): Promise<KillRunResult> {
  const rig = await Rig.open(ctx, name, { ...options, persistence: false });
  try {
    const steps = spread(plan.messages, plan.kills, (k) => ({
      name: `SIGKILL ${k + 1}`,
      action: async () => {
        await rig.app.kill('SIGKILL');
        await rig.app.start();
      },
    }));
    const load = { topic: 'load', idPrefix: name, messages: plan.messages, ratePerSec: plan.ratePerSec };
    const chaos = await publishUnderChaos(ctx, rig, { ...load, steps, stepName: 'kills' });
    const publishedAt = Date.now();
    await rig.oracle.settle(rig.load.sent, 5000);
    const drainMs = ((await rig.oracle.window('load'))?.last ?? publishedAt) - publishedAt;
    await rig.stopApp();
    const tally = await rig.oracle.tally(rig.load.sent);
    ctx.log(
      `done: ${tally.processed}/${tally.sent} processed, ${tally.lost} lost, ` +
        `${tally.duplicates} duplicates${sample(tally.duplicateSample)}`,
    );
    const restartMs = chaos.done.reduce((sum, step) => sum + step.ms, 0);
    return {
      tally,
      kills: chaos.done.length,
      crashes: rig.app.crashes.length,
      publishFailures: rig.load.failures,
      drainMs: Math.max(0, drainMs),
      meanRestartMs: Math.round(restartMs / (chaos.done.length || 1)),
    };
  } finally {
    await rig.close();
  }
}
