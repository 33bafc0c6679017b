/**
 * The configuration of the embedded broker (used when MQTT_BROKER is unset): users and ACL files,
 * the interface it binds, extra listeners and the connection limit (rows of config-table.ts), and the
 * checks that refuse an unsafe combination at boot (docs/deployment.md, "Running the embedded broker in production").
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseAclFile, type Acl } from '../transport/embedded/acl-file';
import { parseUsersFile, type UsersTable } from '../transport/embedded/users-file';
import { CONFIG_TABLE } from './config-table';

/** The fields of the configuration the checks look at (rows of src/app/config-table.ts). */
export interface EmbeddedBrokerSettings {
  readonly embeddedBrokerUsers?: string;
  readonly embeddedBrokerAcl?: string;
  readonly embeddedBrokerHost: string;
  readonly embeddedBrokerWsPort?: number;
  readonly embeddedBrokerTlsPort?: number;
  readonly broker?: string;
  readonly username?: string;
  readonly password?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/**
 * Problems of the embedded broker's settings taken together: unreadable or malformed files (with
 * line numbers), credentials half given, a non-loopback interface without credentials, TLS without a
 * certificate, and embedded-broker variables set while MQTT_BROKER points elsewhere.
 *
 * @example
 * ```ts
 * embeddedBrokerProblems({ embeddedBrokerHost: '0.0.0.0', embeddedBrokerMaxConnections: 10_000 });
 * // ['EMBEDDED_BROKER_HOST: "0.0.0.0" is not a loopback address, and no credentials are set; ...']
 * ```
 */
export function embeddedBrokerProblems(settings: EmbeddedBrokerSettings): string[] {
  if (settings.broker !== undefined) return unusedVariables(settings);
  const problems: string[] = [];
  const users = readUsers(settings.embeddedBrokerUsers);
  if (users && 'problems' in users) problems.push(...users.problems);
  const acl = readAcl(settings.embeddedBrokerAcl);
  if (acl && 'problems' in acl) problems.push(...acl.problems);
  if ((settings.username === undefined) !== (settings.password === undefined)) {
    const missing = settings.username === undefined ? 'MQTT_USERNAME' : 'MQTT_PASSWORD';
    problems.push(
      `${missing}: is unset; with the embedded broker MQTT_USERNAME and MQTT_PASSWORD together are its device account`,
    );
  }
  const credentials = settings.embeddedBrokerUsers !== undefined || settings.username !== undefined;
  if (!credentials && !isLoopback(settings.embeddedBrokerHost)) {
    problems.push(
      `EMBEDDED_BROKER_HOST: ${JSON.stringify(settings.embeddedBrokerHost)} is not a loopback address and no ` +
        'credentials are set, which would let anyone on the network use the broker; set EMBEDDED_BROKER_USERS ' +
        '(a file written by `routemq broker passwd FILE USER`) or MQTT_USERNAME and MQTT_PASSWORD',
    );
  }
  if (settings.embeddedBrokerTlsPort !== undefined && settings.certFile === undefined) {
    problems.push(
      'EMBEDDED_BROKER_TLS_PORT: needs the server certificate and key in MQTT_CERT_FILE and MQTT_KEY_FILE (PEM)',
    );
  }
  return problems;
}

function unusedVariables(settings: EmbeddedBrokerSettings): string[] {
  const set = (
    ['embeddedBrokerUsers', 'embeddedBrokerAcl', 'embeddedBrokerWsPort', 'embeddedBrokerTlsPort'] as const
  )
    .filter((key) => settings[key] !== undefined)
    .map((key) => CONFIG_TABLE[key].variable);
  return set.map(
    (variable) =>
      `${variable}: is set, but MQTT_BROKER is set too, so the embedded broker does not run; unset one of them`,
  );
}

/** Reads and parses the users file; undefined when the variable is unset. */
export function readUsers(
  path: string | undefined,
): { users: UsersTable } | { problems: string[] } | undefined {
  if (path === undefined) return undefined;
  const text = readText('EMBEDDED_BROKER_USERS', path);
  if (typeof text !== 'string') return text;
  const parsed = parseUsersFile(text, `EMBEDDED_BROKER_USERS: ${path}`);
  return 'users' in parsed ? { users: parsed.users } : { problems: [...parsed.problems] };
}

/** Reads and parses the ACL file; undefined when the variable is unset. */
export function readAcl(path: string | undefined): { acl: Acl } | { problems: string[] } | undefined {
  if (path === undefined) return undefined;
  const text = readText('EMBEDDED_BROKER_ACL', path);
  if (typeof text !== 'string') return text;
  return parseAclFile(text, `EMBEDDED_BROKER_ACL: ${path}`);
}

function readText(variable: string, path: string): string | { problems: string[] } {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { problems: [`${variable}: ${JSON.stringify(path)} cannot be read (${code})`] };
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
