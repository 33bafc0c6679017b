import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Controller, Module, MqttPublisher, Topic, createApp, type AppOptions } from 'routemq';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';
import { startMain } from '../integrations/support/main-process';
import { generateCertificates, passwordFile, type TestCertificates } from './support/certificates';

@Controller('tls')
class PingController {
  static pings = 0;

  @Topic('ping', { qos: 1 })
  ping() {
    PingController.pings++;
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

const USER = 'routemq-app';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-secret`;

function logCapture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), text: () => text };
}

describe('TLS and mutual TLS to the broker (Mosquitto with generated certificates)', () => {
  let certs: TestCertificates;
  let mtls: MosquittoInstance;
  let tlsOnly: MosquittoInstance;
  const connectTimes: number[] = [];

  beforeAll(async () => {
    certs = await generateCertificates();
    const passwords = await passwordFile(certs.dir, USER, PASSWORD);
    // set_tcp_nodelay: without it every TLS handshake waits ~40 ms on Nagle (docs/operations.md).
    const server = `cafile ${certs.caCert}\ncertfile ${certs.serverCert}\nkeyfile ${certs.serverKey}\nset_tcp_nodelay true`;
    mtls = await startMosquitto(
      `${server}\nrequire_certificate true\nallow_anonymous false\npassword_file ${passwords}`,
    );
    tlsOnly = await startMosquitto(server);
  });

  afterAll(async () => {
    await mtls?.stop();
    await tlsOnly?.stop();
    await certs?.remove();
    if (connectTimes.length > 0) {
      const sorted = [...connectTimes].sort((a, b) => a - b);
      console.log(
        `TLS app.start() (connect + subscribe) median ${sorted[sorted.length >> 1].toFixed(1)} ms over ${sorted.length}`,
      );
    }
  });

  const mtlsOptions = (): AppOptions => ({
    env: {},
    logLevel: 'silent',
    broker: `mqtts://127.0.0.1:${mtls.port}`,
    caFile: certs.caCert,
    certFile: certs.clientCert,
    keyFile: certs.clientKey,
    username: USER,
    password: PASSWORD,
  });

  async function startAndPing(options: AppOptions, logger?: pino.Logger): Promise<void> {
    PingController.pings = 0;
    const app = await createApp(PingModule, { ...options, logger });
    const started = performance.now();
    await app.start();
    connectTimes.push(performance.now() - started);
    try {
      await app.container.resolve(MqttPublisher).publish('tls/ping', {}, { qos: 1 });
      const deadline = Date.now() + 5000;
      while (PingController.pings === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(PingController.pings).toBe(1);
    } finally {
      await app.stop();
    }
  }

  async function expectRefused(options: AppOptions, reason?: RegExp): Promise<string> {
    const capture = logCapture();
    const app = await createApp(PingModule, { ...options, logger: capture.logger });
    const error = await app.start().then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    if (!error) await app.stop();
    expect(error?.code).toBe('ERR_BROKER_UNREACHABLE');
    if (reason) expect(error?.message).toMatch(reason);
    expect(error?.message).not.toContain(PASSWORD);
    return capture.text() + (error?.message ?? '') + (error?.stack ?? '');
  }

  it('connects with mutual TLS (CA, client certificate and key from files) plus a password', async () => {
    const capture = logCapture();
    await startAndPing(mtlsOptions(), capture.logger);
    expect(capture.text()).toContain('mqtts://127.0.0.1');
  });

  it('is refused by an mTLS broker without a client certificate, or with one from another CA', async () => {
    await expectRefused({ ...mtlsOptions(), certFile: undefined, keyFile: undefined });
    await expectRefused({ ...mtlsOptions(), certFile: certs.rogueClientCert, keyFile: certs.rogueClientKey });
  });

  it('is refused with a wrong password, without the password in the error or the logs', async () => {
    const output = await expectRefused({ ...mtlsOptions(), password: `${PASSWORD}-wrong` });
    expect(output).not.toContain(PASSWORD);
  });

  it('verifies the server certificate by default: no fallback to plaintext or to an unverified connection', async () => {
    const tls = { env: {}, logLevel: 'silent' as const, broker: `mqtts://127.0.0.1:${tlsOnly.port}` };
    await startAndPing({ ...tls, caFile: certs.caCert });
    // Without the CA, Node's store does not trust the test CA; with the wrong CA neither.
    await expectRefused(tls, /self[- ]signed|unable to verify|certificate/i);
    await expectRefused({ ...tls, caFile: certs.rogueCaCert }, /certificate/i);
    // Plain MQTT to the TLS port never completes a CONNECT.
    await expectRefused({ ...tls, broker: `mqtt://127.0.0.1:${tlsOnly.port}` });
  });

  it('connects unverified only when MQTT_TLS_REJECT_UNAUTHORIZED=false, and warns', async () => {
    const capture = logCapture();
    await startAndPing(
      { env: {}, broker: `mqtts://127.0.0.1:${tlsOnly.port}`, tlsRejectUnauthorized: false },
      capture.logger,
    );
    expect(capture.text()).toContain('MQTT_TLS_REJECT_UNAUTHORIZED=false');
  });

  it('logs no secret in a whole run of the app at trace level: password, URL credentials, key material', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'routemq-secrets-'));
    const env = {
      MQTT_BROKER: `mqtts://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${mtls.port}`,
      MQTT_CA_FILE: certs.caCert,
      MQTT_CERT_FILE: certs.clientCert,
      MQTT_KEY_FILE: certs.clientKey,
      MQTT_USERNAME: USER,
      MQTT_PASSWORD: PASSWORD,
      LOG_LEVEL: 'trace',
      DATA_DIR: dataDir,
      HTTP_PORT: '0',
    };
    try {
      const run = startMain(env);
      await run.waitFor('connected; serving', 20_000);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const refused = startMain({
        ...env,
        MQTT_BROKER: `mqtts://127.0.0.1:${mtls.port}`,
        MQTT_PASSWORD: `x${PASSWORD}`,
      });
      await refused.exited;
      const output = run.output() + refused.output();
      expect(output).toContain('ERR_BROKER_UNREACHABLE');
      expect(output).not.toContain(PASSWORD);
      for (const file of [certs.clientKey, certs.clientCert, certs.caCert]) {
        const pemLine = readFileSync(file, 'utf8').split('\n')[1];
        expect(output).not.toContain(pemLine);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
