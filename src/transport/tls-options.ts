/**
 * TLS and mutual TLS to the broker: the files named by MQTT_CA_FILE, MQTT_CERT_FILE and MQTT_KEY_FILE,
 * checked at boot and read when the connection opens. Their contents are never logged or put in the
 * configuration object (which people log); only the paths are.
 * @module
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';

/** What mqtt.js passes to `tls.connect` (a subset of its `IClientOptions`). */
export interface TlsClientOptions {
  /** Trusted CA certificates (PEM); unset: Node's default CA store. */
  ca?: Buffer;
  /** Client certificate chain (PEM) for mutual TLS. */
  cert?: Buffer;
  /** Client private key (PEM) for mutual TLS. */
  key?: Buffer;
  /** Verify the broker's certificate and host name (default true). */
  rejectUnauthorized?: boolean;
}

/** The TLS fields of the configuration. */
export interface TlsSettings {
  /** MQTT_BROKER; TLS needs `mqtts://` or `wss://`. */
  readonly broker?: string;
  /** MQTT_CA_FILE */
  readonly caFile?: string;
  /** MQTT_CERT_FILE */
  readonly certFile?: string;
  /** MQTT_KEY_FILE */
  readonly keyFile?: string;
  /** MQTT_TLS_REJECT_UNAUTHORIZED (default true). */
  readonly tlsRejectUnauthorized: boolean;
  /** EMBEDDED_BROKER_TLS_PORT: with MQTT_BROKER unset, the certificate and key are the embedded broker's. */
  readonly embeddedBrokerTlsPort?: number;
}

type Parsed<T> = { value: T } | { problem: string };

const TLS_SCHEMES = ['mqtts:', 'ssl:', 'wss:'];

/**
 * A config parser for a PEM file path: unset is fine; set, the file must be readable and hold a PEM
 * block. The problem names the path and the reason, never the content.
 *
 * @example
 * ```ts
 * parsePemFile('/etc/routemq/ca.pem'); // { value: '/etc/routemq/ca.pem' } or { problem: '...' }
 * ```
 */
export function parsePemFile(raw: unknown): Parsed<string | undefined> {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return { value: undefined };
  }
  const path = String(raw).trim();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { problem: `${JSON.stringify(path)} cannot be read (${code}); give the path of a PEM file` };
  }
  if (!text.includes('-----BEGIN ')) {
    return { problem: `${JSON.stringify(path)} holds no PEM block (-----BEGIN ...-----); convert it to PEM` };
  }
  return { value: path };
}

/**
 * Problems of the TLS settings taken together: a certificate without its key (or the reverse), TLS
 * files with a broker that is not TLS, and certificate checks turned off in production.
 *
 * @example
 * ```ts
 * tlsProblems({ broker: 'mqtt://b:1883', caFile: 'ca.pem', tlsRejectUnauthorized: true }, {});
 * // ['MQTT_CA_FILE: is set, but MQTT_BROKER "mqtt://b:1883" is not a TLS URL; use mqtts://...']
 * ```
 */
export function tlsProblems(
  settings: TlsSettings,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const problems: string[] = [];
  if (settings.certFile !== undefined && settings.keyFile === undefined)
    problems.push('MQTT_KEY_FILE: is unset, but MQTT_CERT_FILE is set; mutual TLS needs both');
  if (settings.keyFile !== undefined && settings.certFile === undefined)
    problems.push('MQTT_CERT_FILE: is unset, but MQTT_KEY_FILE is set; mutual TLS needs both');
  const servesTls = settings.broker === undefined && settings.embeddedBrokerTlsPort !== undefined;
  const files = (['caFile', 'certFile', 'keyFile'] as const).filter(
    (k) => settings[k] !== undefined && !(servesTls && k !== 'caFile'),
  );
  if (files.length > 0 && !isTlsBroker(settings.broker)) {
    const broker = settings.broker === undefined ? 'is unset (the embedded broker)' : 'is not a TLS URL';
    problems.push(
      `${FILE_VARIABLES[files[0]]}: is set, but MQTT_BROKER ${broker}; use mqtts://host:8883 (or wss://)`,
    );
  }
  if (!settings.tlsRejectUnauthorized && env.NODE_ENV === 'production') {
    problems.push(
      'MQTT_TLS_REJECT_UNAUTHORIZED: false is refused when NODE_ENV=production (anyone could pose as the ' +
        'broker); give the broker CA with MQTT_CA_FILE instead',
    );
  }
  return problems;
}

const FILE_VARIABLES = { caFile: 'MQTT_CA_FILE', certFile: 'MQTT_CERT_FILE', keyFile: 'MQTT_KEY_FILE' };

/**
 * The TLS options of a connection, read from the files now (they may have been rotated since boot),
 * or undefined for a broker that is not TLS. A file that became unreadable is a ConfigError naming
 * its variable.
 *
 * @example
 * ```ts
 * const tls = readTlsOptions({ broker: 'mqtts://b:8883', caFile: 'ca.pem', tlsRejectUnauthorized: true });
 * new MqttTransport({ url: 'mqtts://b:8883', tls });
 * ```
 */
export function readTlsOptions(settings: TlsSettings): TlsClientOptions | undefined {
  if (!isTlsBroker(settings.broker)) return undefined;
  const problems: string[] = [];
  const read = (key: keyof typeof FILE_VARIABLES): Buffer | undefined => {
    const path = settings[key];
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      problems.push(`${FILE_VARIABLES[key]}: ${JSON.stringify(path)} cannot be read (${code})`);
      return undefined;
    }
  };
  const options: TlsClientOptions = { rejectUnauthorized: settings.tlsRejectUnauthorized };
  const ca = read('caFile');
  const cert = read('certFile');
  const key = read('keyFile');
  if (problems.length > 0) throw new ConfigError('ERR_CONFIG_INVALID', problems, 'Cannot read TLS files');
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  return options;
}

/** True for `mqtts://`, `ssl://` and `wss://` broker URLs. */
export function isTlsBroker(broker: string | undefined): boolean {
  if (broker === undefined) return false;
  return TLS_SCHEMES.some((scheme) => broker.toLowerCase().startsWith(`${scheme}//`));
}
