import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from 'routemq';
import { loadConfig } from '../../../src/app/config';
import { isTlsBroker, readTlsOptions, toClientOptionsTls } from './support/tls-helpers';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
}

describe('TLS configuration (checked at boot, in the one ConfigError)', () => {
  let dir: string;
  let ca: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'routemq-tls-config-'));
    ca = join(dir, 'ca.pem');
    await writeFile(ca, PEM);
    await writeFile(join(dir, 'not-pem.der'), Buffer.from([0x30, 0x82, 0x01]));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts readable PEM files with an mqtts:// broker; verification on by default', () => {
    const config = loadConfig({ MQTT_BROKER: 'mqtts://broker:8883', MQTT_CA_FILE: ca });
    expect(config).toMatchObject({ caFile: ca, tlsRejectUnauthorized: true });
    const tls = readTlsOptions(config);
    expect(tls?.ca?.toString()).toBe(PEM);
    expect(tls?.rejectUnauthorized).toBe(true);
    expect(isTlsBroker('wss://b/mqtt')).toBe(true);
    expect(toClientOptionsTls(tls)).toMatchObject({ ca: expect.any(Buffer), rejectUnauthorized: true });
  });

  it('names each variable whose file is missing, unreadable or not PEM, in one error', () => {
    const problems = problemsOf({
      MQTT_BROKER: 'mqtts://broker:8883',
      MQTT_CA_FILE: join(dir, 'missing.pem'),
      MQTT_CERT_FILE: dir,
      MQTT_KEY_FILE: join(dir, 'not-pem.der'),
    });
    expect(problems).toEqual([
      expect.stringMatching(/^MQTT_CA_FILE: ".*missing.pem" cannot be read \(ENOENT\)/),
      expect.stringMatching(/^MQTT_CERT_FILE: ".*" cannot be read \(EISDIR\)/),
      expect.stringMatching(/^MQTT_KEY_FILE: ".*not-pem.der" holds no PEM block/),
    ]);
  });

  it('refuses a certificate without its key, and TLS files with a broker that is not TLS', () => {
    expect(problemsOf({ MQTT_BROKER: 'mqtts://b:8883', MQTT_CERT_FILE: ca })).toEqual([
      expect.stringMatching(/^MQTT_KEY_FILE: is unset, but MQTT_CERT_FILE is set/),
    ]);
    expect(problemsOf({ MQTT_BROKER: 'mqtt://b:1883', MQTT_CA_FILE: ca })).toEqual([
      expect.stringMatching(/^MQTT_CA_FILE: is set, but MQTT_BROKER is not a TLS URL; use mqtts:\/\//),
    ]);
    expect(problemsOf({ MQTT_CA_FILE: ca })).toEqual([
      expect.stringMatching(/MQTT_BROKER is unset \(the embedded broker\)/),
    ]);
  });

  it('refuses MQTT_TLS_REJECT_UNAUTHORIZED=false in production only', () => {
    const env = { MQTT_BROKER: 'mqtts://b:8883', MQTT_TLS_REJECT_UNAUTHORIZED: 'false' };
    expect(loadConfig(env).tlsRejectUnauthorized).toBe(false);
    expect(problemsOf({ ...env, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^MQTT_TLS_REJECT_UNAUTHORIZED: false is refused when NODE_ENV=production/),
    ]);
  });

  it('reports a file that became unreadable after boot as a ConfigError naming its variable', async () => {
    const moved = join(dir, 'rotated.pem');
    await writeFile(moved, PEM);
    const config = loadConfig({ MQTT_BROKER: 'mqtts://b:8883', MQTT_CA_FILE: moved });
    await rm(moved);
    expect(() => readTlsOptions(config)).toThrow(/MQTT_CA_FILE: ".*rotated.pem" cannot be read \(ENOENT\)/);
    expect(readTlsOptions({ ...config, broker: 'mqtt://b:1883' })).toBeUndefined();
  });

  it('parses the other new variables: HTTP_PORT, HTTP_HOST, MAX_JSON_DEPTH, MAX_JSON_KEYS', () => {
    expect(loadConfig({})).toMatchObject({
      httpPort: undefined,
      // Loopback by default: /metrics is unauthenticated (docs/operations.md, threat model).
      httpHost: '127.0.0.1',
      maxJsonDepth: 32,
      maxJsonKeys: 10_000,
    });
    expect(
      loadConfig({ HTTP_PORT: '9464', HTTP_HOST: '0.0.0.0', MAX_JSON_DEPTH: '8', MAX_JSON_KEYS: '50' }),
    ).toMatchObject({
      httpPort: 9464,
      httpHost: '0.0.0.0',
      maxJsonDepth: 8,
      maxJsonKeys: 50,
    });
    expect(problemsOf({ HTTP_PORT: 'x', MAX_JSON_DEPTH: '0', MAX_JSON_KEYS: '-1' })).toEqual([
      'HTTP_PORT: "x" is not a whole number from 0 to 65535',
      'MAX_JSON_DEPTH: "0" is not a whole number from 1 to 100000',
      'MAX_JSON_KEYS: "-1" is not a whole number from 1 to 100000000',
    ]);
  });
});
