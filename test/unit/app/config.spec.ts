import { loadConfig } from '../../../src/app/config';
import { ConfigError } from '../../../src/errors';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      broker: undefined,
      port: 1883,
      groupName: 'routemq',
      workerCount: 1,
      logLevel: 'info',
      sharePrefix: '$share',
      protocolVersion: 'auto',
      shutdownTimeoutMs: 10000,
    });
  });

  it.each([
    ['mqtt://127.0.0.1:1883', 'mqtt://127.0.0.1:1883'],
    ['mqtts://broker.example:8883', 'mqtts://broker.example:8883'],
    ['broker.local', 'mqtt://broker.local:1999'],
    ['broker.local:1884', 'mqtt://broker.local:1884'],
  ])('reads MQTT_BROKER %s as %s', (raw, url) => {
    expect(loadConfig({ MQTT_BROKER: raw, MQTT_PORT: '1999' }).broker).toBe(url);
  });

  it('lets createApp options override the environment', () => {
    const config = loadConfig({ MQTT_PORT: '1884', LOG_LEVEL: 'debug' }, { port: 0, logLevel: 'warn' });
    expect(config.port).toBe(0);
    expect(config.logLevel).toBe('warn');
  });

  it('reports every bad variable in one error, naming each and never echoing a password', () => {
    let error: unknown;
    try {
      loadConfig({
        MQTT_PORT: 'abc',
        WORKER_COUNT: '0',
        LOG_LEVEL: 'loud',
        MQTT_GROUP_NAME: 'a/b',
        REDIS_URL: 'http://user:secret@host',
        MQTT_SHARE_PREFIX: '$shared',
        MQTT_PROTOCOL_VERSION: '3',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, problems } = error as ConfigError;
    expect((error as ConfigError).code).toBe('ERR_CONFIG_INVALID');
    for (const name of [
      'MQTT_PORT',
      'WORKER_COUNT',
      'LOG_LEVEL',
      'MQTT_GROUP_NAME',
      'REDIS_URL',
      'MQTT_SHARE_PREFIX',
      'MQTT_PROTOCOL_VERSION',
    ]) {
      expect(message).toContain(name);
    }
    expect(problems).toHaveLength(7);
    expect(message).not.toContain('secret');
  });

  it('names a bad option as an option, not as a variable', () => {
    expect(() => loadConfig({}, { port: -1 })).toThrow(/option port: -1 is not a whole number/);
  });

  it('rejects a broker value that is neither a host nor a URL', () => {
    expect(() => loadConfig({ MQTT_BROKER: 'not a host!' })).toThrow(
      /MQTT_BROKER: .*neither a host name nor a URL/,
    );
  });
});
