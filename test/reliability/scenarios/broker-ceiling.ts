/**
 * What the broker alone sustains with a subscriber that does nothing (mqtt.js, acknowledging on
 * receipt): the ceiling any app's figure sits under. Measured with and without per-change saves, to
 * show why the throughput figures use a broker without them.
 */
import mqtt from 'mqtt';
import { startBroker } from '../lib/broker';
import { LoadGenerator } from '../lib/load-generator';
import { numbered } from '../lib/rig';

/** Messages per second from the first publish to the last delivery. */
export async function brokerCeiling(persistence: boolean, count: number, runId: string): Promise<number> {
  const broker = await startBroker({ persistence });
  const subscriber = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  let load: LoadGenerator | undefined;
  try {
    await subscriber.subscribeAsync('ceiling/+', { qos: 1 });
    let received = 0;
    const all = new Promise<number>((resolve) =>
      subscriber.on('message', () => {
        if (++received === count) resolve(Date.now());
      }),
    );
    load = await LoadGenerator.connect(broker.url, `${runId}-ceiling-${persistence}`);
    const startedAt = Date.now();
    await load.publishAll(numbered('ceiling', 'c', count), { window: 500 });
    return count / (((await all) - startedAt) / 1000);
  } finally {
    await load?.close();
    await subscriber.endAsync(true);
    await broker.stop();
  }
}
