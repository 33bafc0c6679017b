/**
 * Throwaway certificates for TLS tests, made with the openssl CLI: a CA, a server certificate for
 * localhost / 127.0.0.1, a client certificate, and a rogue CA with a client certificate of its own.
 * @module
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of the generated PEM files. */
export interface TestCertificates {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA the broker does not trust, and a client certificate it signed. */
  readonly rogueCaCert: string;
  readonly rogueClientCert: string;
  readonly rogueClientKey: string;
  remove(): Promise<void>;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Generates the certificates in a fresh temporary directory (readable by the `mosquitto` user the
 * broker drops to when started as root).
 *
 * @example
 * ```ts
 * const certs = await generateCertificates();
 * const broker = await startMosquitto(`cafile ${certs.caCert}\ncertfile ${certs.serverCert}\nkeyfile ${certs.serverKey}`);
 * ```
 */
export async function generateCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'routemq-certs-'));
  await chmod(dir, 0o755);
  const path = (name: string) => join(dir, name);
  await writeFile(
    path('server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  await writeFile(path('client.ext'), 'extendedKeyUsage=clientAuth\n');
  await ca('ca', 'RouteMQ Test CA');
  await ca('rogue-ca', 'Rogue CA');
  await signed('server', 'localhost', 'ca', 'server.ext');
  await signed('client', 'routemq-client', 'ca', 'client.ext');
  await signed('rogue-client', 'routemq-client', 'rogue-ca', 'client.ext');
  for (const name of ['ca', 'server', 'client', 'rogue-ca', 'rogue-client']) {
    await chmod(path(`${name}.crt`), 0o644);
    await chmod(path(`${name}.key`), 0o644);
  }
  return {
    dir,
    caCert: path('ca.crt'),
    serverCert: path('server.crt'),
    serverKey: path('server.key'),
    clientCert: path('client.crt'),
    clientKey: path('client.key'),
    rogueCaCert: path('rogue-ca.crt'),
    rogueClientCert: path('rogue-client.crt'),
    rogueClientKey: path('rogue-client.key'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };

  async function ca(name: string, subject: string): Promise<void> {
    await openssl(
      ['req', '-x509', ...EC, '-keyout', path(`${name}.key`), '-out', path(`${name}.crt`)].concat([
        '-days',
        '2',
        '-subj',
        `/CN=${subject}`,
      ]),
    );
  }

  async function signed(name: string, subject: string, issuer: string, extensions: string): Promise<void> {
    await openssl([
      'req',
      '-new',
      ...EC,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.csr`),
      '-subj',
      `/CN=${subject}`,
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path(`${issuer}.crt`),
      '-CAkey',
      path(`${issuer}.key`),
      '-CAcreateserial',
      '-out',
      path(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      path(extensions),
    ]);
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    throw new Error(`openssl ${args[0]} failed (is the openssl CLI installed?): ${String(error)}`, {
      cause: error,
    });
  }
}

/**
 * A Mosquitto password file line for `user`/`password`, made by mosquitto_passwd.
 *
 * @example
 * ```ts
 * const file = await passwordFile(dir, 'app', 's3cret');
 * ```
 */
export async function passwordFile(dir: string, user: string, password: string): Promise<string> {
  const file = join(dir, 'passwords');
  await writeFile(file, '');
  await run('mosquitto_passwd', ['-b', file, user, password]);
  await chmod(file, 0o644);
  return file;
}
