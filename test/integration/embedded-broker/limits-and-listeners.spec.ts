import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { generate } from 'mqtt-packet';
import { waitUntil } from '../../contract/contract-helpers';
import { generateCertificates, type TestCertificates } from '../security/support/certificates';
import { BrokerFixture, collect } from './broker-fixture';

const run = promisify(execFile);

/** A raw TCP client that sends a CONNECT (MQTT 3.1.1) and reports when the server closes it. */
async function rawClient(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => undefined); // writes after the server closed it fail with EPIPE/ECONNRESET
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: `raw-${Math.random()}`,
      keepalive: 30,
    }),
  );
  return { socket, closed };
}

describe('embedded broker: limits', () => {
  const fixture = new BrokerFixture();
  afterEach(() => fixture.closeAll());

  it('closes a connection that declares a packet over the limit before buffering its body', async () => {
    const { port } = await fixture.start({}, { maxPacketBytes: 300_000 });
    const { socket, closed } = await rawClient(port);
    // A PUBLISH declaring a 250 MB remaining length [MQTT-2.2.3], then its body, chunk by chunk.
    socket.write(Buffer.from([0x30, 0x80, 0xe5, 0x9a, 0x77]));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let open = true;
    void closed.then(() => (open = false));
    while (open && sent < 250_000_000) {
      if (!socket.write(chunk))
        await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
      sent += chunk.length;
    }
    await closed;
    // The server stopped reading at the header; what was sent before the close sat in socket buffers.
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  it('still serves packets up to the limit', async () => {
    const { port } = await fixture.start({}, { maxPacketBytes: 300_000 });
    const subscriber = await fixture.connect(port, { clientId: 'sub' });
    const received = collect(subscriber);
    await subscriber.subscribeAsync('big', { qos: 1 });
    const publisher = await fixture.connect(port, { clientId: 'pub' });
    await publisher.publishAsync('big', Buffer.alloc(290_000, 0x62), { qos: 1 });
    await waitUntil('the large message', () => received.length === 1);
    expect(received[0].payload.length).toBe(290_000);
  });

  it('refuses connections past EMBEDDED_BROKER_MAX_CONNECTIONS, keeping those it has', async () => {
    const { port } = await fixture.start({}, { maxConnections: 2 });
    const one = await fixture.connect(port, { clientId: 'one' });
    const two = await fixture.connect(port, { clientId: 'two' });
    const third = await rawClient(port);
    await third.closed;
    expect([one.connected, two.connected]).toEqual([true, true]);
  });
});

describe('embedded broker: WebSocket and TLS listeners', () => {
  const fixture = new BrokerFixture();
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = await generateCertificates();
  });
  afterEach(() => fixture.closeAll());
  afterAll(() => certs?.remove());

  it('serves MQTT over WebSocket to mqtt.js (browser dashboards), with the same credentials', async () => {
    const broker = await fixture.start(
      { deviceAccount: { username: 'dash', password: 'pw' } },
      { wsPort: 0 },
    );
    const url = `ws://127.0.0.1:${broker.wsPort}`;
    expect(await fixture.connackCode(0, { clientId: 'ws-anon' }, url)).toBe(5);
    const dashboard = await fixture.connect(0, { clientId: 'dash-1', username: 'dash', password: 'pw' }, url);
    const received = collect(dashboard);
    await dashboard.subscribeAsync('telemetry/#', { qos: 1 });
    const device = await fixture.connect(broker.port, { clientId: 'dev', username: 'dash', password: 'pw' });
    await device.publishAsync('telemetry/1', '21.5', { qos: 1 });
    await waitUntil('the reading over WebSocket', () => received.length === 1);
    expect(received[0]).toEqual({ topic: 'telemetry/1', payload: '21.5' });
  });

  it('serves MQTT over TLS to mosquitto_pub', async () => {
    const cert = await readFile(certs.serverCert);
    const key = await readFile(certs.serverKey);
    const broker = await fixture.start(
      { deviceAccount: { username: 'dev', password: 'pw' } },
      { tls: { port: 0, cert, key } },
    );
    const subscriber = await fixture.connect(broker.port, {
      clientId: 'sub',
      username: 'dev',
      password: 'pw',
    });
    const received = collect(subscriber);
    await subscriber.subscribeAsync('secure/#', { qos: 1 });
    await run('mosquitto_pub', [
      ...['-h', 'localhost', '-p', String(broker.tlsPort), '--cafile', certs.caCert],
      ...['-u', 'dev', '-P', 'pw', '-i', 'tls-pub', '-q', '1', '-t', 'secure/1', '-m', 'over tls'],
    ]);
    await waitUntil('the TLS publish', () => received.length === 1);
    expect(received[0]).toEqual({ topic: 'secure/1', payload: 'over tls' });
  });
});
