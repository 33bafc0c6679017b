/**
 * Suites that need an already running broker (Mosquitto on 127.0.0.1:1883 by default).
 * @module
 */
import { connect } from 'node:net';

const DEFAULT_URL = 'mqtt://127.0.0.1:1883';

/**
 * The URL of the external broker: EXTERNAL_MQTT_URL, else mqtt://127.0.0.1:1883.
 *
 * @example
 * ```ts
 * const transport = new MqttTransport({ url: externalBrokerUrl() });
 * ```
 */
export function externalBrokerUrl(): string {
  return process.env.EXTERNAL_MQTT_URL ?? DEFAULT_URL;
}

/**
 * A describe block that needs the external broker. With SKIP_EXTERNAL_BROKER=1 the suite is skipped
 * and its title says why; otherwise, when nothing listens at the URL, every test fails with a message
 * saying how to start a broker (a missing broker must not look like a green run).
 *
 * @example
 * ```ts
 * describeExternalBroker('MqttTransport against Mosquitto', () => { it('...', async () => {}); });
 * ```
 */
export function describeExternalBroker(name: string, fn: () => void): void {
  if (process.env.SKIP_EXTERNAL_BROKER === '1') {
    console.warn(`Skipping "${name}": SKIP_EXTERNAL_BROKER=1 (these suites need a running MQTT broker).`);
    describe.skip(`${name} [skipped: SKIP_EXTERNAL_BROKER=1]`, fn);
    return;
  }
  describe(name, () => {
    beforeAll(async () => {
      const url = externalBrokerUrl();
      if (await isListening(url)) return;
      throw new Error(
        `No MQTT broker listens at ${url} (needed by "${name}"). Start one with \`mosquitto -d\`, ` +
          'or point EXTERNAL_MQTT_URL=mqtt://host:port at a running broker, ' +
          'or set SKIP_EXTERNAL_BROKER=1 to skip these suites.',
      );
    });
    fn();
  });
}

/** True when a TCP connection to the URL's host and port succeeds within 2 s. */
function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 1883) });
    const finish = (listening: boolean): void => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
