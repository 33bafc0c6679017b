/**
 * The loop scenarios 1, 2, 6, 7 and 8 share: publish numbered messages at a steady rate while chaos
 * steps fire at points of the load, printing progress, until every publish was acknowledged and every
 * step that fired has finished.
 * @module
 */
import { Chaos, type ChaosStep } from './chaos';
import { numbered, type Rig } from './rig';
import type { ScenarioContext } from './scenario';
import { startTicker } from './ticker';

export interface ChaosLoad {
  /** Topics are `<topic>/<n>`, ids `<idPrefix>-<n>`. */
  readonly topic: string;
  readonly idPrefix: string;
  readonly messages: number;
  readonly ratePerSec: number;
  readonly steps: readonly ChaosStep[];
  /** What a step is, for the progress line ("kills", "broker restarts"...). */
  readonly stepName: string;
}

/** Runs the load and the chaos; returns the chaos record (steps done, with timings). */
export async function publishUnderChaos(ctx: ScenarioContext, rig: Rig, load: ChaosLoad): Promise<Chaos> {
  const chaos = new Chaos(load.steps);
  const ticker = startTicker(ctx.log, async () => {
    const processed = await rig.oracle.processedCount();
    const steps = `${load.stepName} ${chaos.done.length}/${load.steps.length}`;
    return `sent ${rig.load.sent.size}/${load.messages}, processed ${processed}, ${steps}`;
  });
  try {
    const messages = numbered(load.topic, load.idPrefix, load.messages);
    await rig.load.publishAll(messages, { ratePerSec: load.ratePerSec, onAcked: chaos.onAcked });
    await chaos.finished();
    return chaos;
  } finally {
    ticker.stop();
  }
}

/** `count` steps spread evenly over the load: at 1/(count+1), 2/(count+1)... of the messages. */
export function spread(
  messages: number,
  count: number,
  step: (index: number) => Omit<ChaosStep, 'atAcked'>,
): ChaosStep[] {
  return Array.from({ length: count }, (_, i) => ({
    atAcked: Math.round((messages * (i + 1)) / (count + 1)),
    ...step(i),
  }));
}
