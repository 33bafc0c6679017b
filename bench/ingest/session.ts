/**
 * Broker-side preparation of one run: the subject's persistent session is created and subscribed
 * first, then every reading is published into it, so the subject drains a full queue alone (the
 * publisher does not compete with it for the machine's two cores).
 * @module
 */
import mqtt from 'mqtt';
import { TOPIC_FILTER } from './protocol';

/** Creates the subject's session (clean: false, expiry 1 h) with its subscription, then leaves it. */
export async function prepareSession(url: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5,
    clientId,
    clean: false,
    properties: { sessionExpiryInterval: 3600 },
    reconnectPeriod: 0,
  });
  await client.subscribeAsync(TOPIC_FILTER, { qos: 1 });
  await client.endAsync();
}

/** Publishes `count` QoS 1 readings over 100 devices, at most 1,000 unacknowledged at a time. */
export async function publishReadings(url: string, count: number): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
  try {
    const inFlight = new Set<Promise<unknown>>();
    for (let seq = 0; seq < count; seq++) {
      const payload = JSON.stringify({ t: 15 + (seq % 200) / 10, seq });
      const sent = client.publishAsync(`ingest/dev-${seq % 100}/data`, payload, { qos: 1 });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      if (inFlight.size >= 1000) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await client.endAsync();
  }
}

/** Ends a session for good (a clean connect), so the broker frees what it kept for it. */
export async function dropSession(url: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5,
    clientId,
    clean: true,
    reconnectPeriod: 0,
  });
  await client.endAsync();
}
