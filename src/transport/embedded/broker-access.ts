/**
 * Who may connect to the embedded broker and what each client may do: the aedes `authenticate`,
 * `authorizePublish`, `authorizeSubscribe` and `authorizeForward` hooks. The app's own sessions prove
 * themselves with a per-process secret; devices use the users file or the one device account, and the
 * ACL file when there is one. See docs/deployment.md, "Running the embedded broker in production".
 * @module
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AedesOptions, Client } from 'aedes' with { 'resolution-mode': 'import' };
import { covers, aclAllows, aclAllowsSubscribe, type Acl, type AclSubject } from './acl-file';
import { verifyPassword } from './password-hash';
import type { UsersTable } from './users-file';

/** The user name of the app's own sessions; its password is the per-process secret. */
export const APP_USERNAME = '$routemq-app';

/** How the broker tells apart the app and devices, and what devices may do. */
export interface BrokerAccessOptions {
  /** The per-process secret of the app's own sessions (user {@link APP_USERNAME}). */
  readonly appSecret: string;
  /**
   * Client id bases of the app: `<base>`, `<base>-retry`, `<base>-w<i>` and `<base>-w<i>-retry` are
   * refused to devices (a device taking one would take over the app's session and its messages).
   */
  readonly appClientIds: readonly string[];
  /** MQTT_USERNAME / MQTT_PASSWORD: the one device account. */
  readonly deviceAccount?: { readonly username: string; readonly password: string };
  /** EMBEDDED_BROKER_USERS, parsed. */
  readonly users?: UsersTable;
  /** EMBEDDED_BROKER_ACL, parsed: devices may do only what it grants. */
  readonly acl?: Acl;
  /** Topic prefixes no device may publish, subscribe or receive (the retry lane). */
  readonly privatePrefixes: readonly string[];
  /** Topic prefixes devices may read only when the ACL grants it (dead letters); never publish. */
  readonly internalPrefixes: readonly string[];
}

type AccessHooks = Required<
  Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>
>;

/** An error whose returnCode aedes puts in the CONNACK (MQTT 3.1.1 section 3.2.2.3). */
function refusal(returnCode: 2 | 4 | 5, message: string): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode });
}

/**
 * Builds the aedes access hooks.
 *
 * @example
 * ```ts
 * const hooks = brokerAccessHooks({ appSecret, appClientIds: ['my-app'], privatePrefixes: ['routemq/retry'], internalPrefixes: [] });
 * const aedes = await Aedes.createBroker({ ...hooks });
 * ```
 */
export function brokerAccessHooks(options: BrokerAccessOptions): AccessHooks {
  const apps = new WeakSet<Client>();
  const subjects = new WeakMap<Client, AclSubject>();
  const checkDevice = deviceCredentialsCheck(options);
  const isAppId = appClientIdMatcher(options.appClientIds);
  const secret = Buffer.from(options.appSecret);
  const device = (client: Client | null): AclSubject | undefined =>
    client === null || apps.has(client) ? undefined : (subjects.get(client) ?? { clientId: client.id });
  return {
    authenticate(client, username, password, done) {
      if (username === APP_USERNAME) {
        if (password !== undefined && sameBytes(password, secret)) {
          apps.add(client);
          return done(null, true);
        }
        return done(refusal(4, 'bad user name or password'), false);
      }
      // [MQTT-3.1.3-9]: a server may refuse a client id; refused before aedes takes over the session.
      if (isAppId(client.id)) return done(refusal(2, 'client identifier not valid'), false);
      checkDevice(username, password).then(
        (verdict) => {
          if (verdict !== true) return done(refusal(verdict, 'not authorized'), false);
          subjects.set(client, { username, clientId: client.id });
          done(null, true);
        },
        () => done(refusal(5, 'not authorized'), false),
      );
    },
    authorizePublish(client, packet, done) {
      const subject = device(client);
      if (subject && !mayPublish(options, subject, packet.topic)) {
        return done(new Error(`publishing to ${packet.topic} is not allowed`));
      }
      done(null);
    },
    authorizeSubscribe(client, sub, done) {
      const subject = device(client);
      done(null, subject && !maySubscribe(options, subject, sub.topic) ? null : sub);
    },
    authorizeForward(client, packet) {
      const subject = device(client);
      return subject && !mayReceive(options, subject, packet.topic) ? null : packet;
    },
  };
}

function underAny(prefixes: readonly string[], topic: string): boolean {
  return prefixes.some((prefix) => topic === prefix || topic.startsWith(`${prefix}/`));
}

function mayPublish(options: BrokerAccessOptions, subject: AclSubject, topic: string): boolean {
  if (topic.startsWith('$')) return false;
  if (underAny([...options.privatePrefixes, ...options.internalPrefixes], topic)) return false;
  return options.acl ? aclAllows(options.acl, subject, topic, 'write') : true;
}

function maySubscribe(options: BrokerAccessOptions, subject: AclSubject, filter: string): boolean {
  // `$SYS/...` reveals the app's client ids; `$share/...` is not a shared subscription on aedes.
  if (filter.startsWith('$')) return false;
  const only = (prefixes: readonly string[]): boolean =>
    prefixes.some((prefix) => covers(`${prefix}/#`, filter));
  if (only(options.privatePrefixes)) return false;
  if (options.acl) return aclAllowsSubscribe(options.acl, subject, filter);
  // A wider filter (`#`) is allowed; the internal topics are held back per message (mayReceive).
  return !only(options.internalPrefixes);
}

function mayReceive(options: BrokerAccessOptions, subject: AclSubject, topic: string): boolean {
  if (topic.startsWith('$') || underAny(options.privatePrefixes, topic)) return false;
  if (options.acl) return aclAllows(options.acl, subject, topic, 'read');
  return !underAny(options.internalPrefixes, topic);
}

/** Resolves true, or the CONNACK return code of the refusal (4 bad credentials, 5 not authorized). */
function deviceCredentialsCheck(
  options: BrokerAccessOptions,
): (username: string | undefined, password: Buffer | undefined) => Promise<true | 4 | 5> {
  const { deviceAccount, users } = options;
  if (!deviceAccount && !users) return () => Promise.resolve(true);
  const verified = new Map<string, string>();
  return async (username, password) => {
    if (username === undefined || password === undefined) return 5;
    if (deviceAccount && username === deviceAccount.username) {
      return sameBytes(password, Buffer.from(deviceAccount.password)) ? true : 4;
    }
    const hash = users?.get(username);
    if (hash === undefined) return 4;
    // Hashing costs tens of milliseconds: a device that reconnects with the same password is checked
    // against a digest of its last good one instead.
    const digest = createHash('sha256').update(hash).update('\0').update(password).digest('hex');
    if (verified.get(username) === digest) return true;
    if (!(await verifyPassword(hash, password.toString('utf8')))) return 4;
    verified.set(username, digest);
    return true;
  };
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True for the client ids of the app: a base, then optionally `-w<i>`, then optionally `-retry`. */
function appClientIdMatcher(bases: readonly string[]): (id: string) => boolean {
  return (id) =>
    bases.some((base) => id.startsWith(base) && /^(-w\d+)?(-retry)?$/.test(id.slice(base.length)));
}
