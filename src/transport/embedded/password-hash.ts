/**
 * Password hashes of the embedded broker's users file: scrypt in the PHC string format (written by
 * `routemq broker passwd`, node:crypto only) and bcrypt (`$2a$`/`$2b$`/`$2y$`, as written by htpasswd -B
 * and most tools), verified with bcryptjs (pure JavaScript, no native build).
 * @module
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { compare as bcryptCompare } from 'bcryptjs';

/** scrypt cost: N = 2^15, r = 8, p = 1 (OWASP's password storage minimum, about 32 MiB per check). */
const LOG_N = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SCRYPT_PREFIX = '$scrypt$';
const BCRYPT_PATTERN = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/**
 * Hashes a password with scrypt: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64 without padding).
 *
 * @example
 * ```ts
 * const line = `alice:${await hashPassword('s3cret')}`;
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const params = { N: 2 ** LOG_N, r: BLOCK_SIZE, p: PARALLELISM };
  const hash = await scryptAsync(password, salt, KEY_LENGTH, params);
  const encode = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');
  return `${SCRYPT_PREFIX}ln=${LOG_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${encode(salt)}$${encode(hash)}`;
}

/**
 * Why a stored hash cannot be used, or undefined when it is a scrypt or bcrypt hash this module reads.
 */
export function hashProblem(hash: string): string | undefined {
  if (BCRYPT_PATTERN.test(hash)) return undefined;
  if (parseScrypt(hash)) return undefined;
  return 'is not a bcrypt ($2b$...) or scrypt ($scrypt$ln=..,r=..,p=..$salt$hash) hash; write it with `routemq broker passwd FILE USER`';
}

/**
 * True when the password matches the stored hash (constant-time comparison); false for a hash this
 * module does not read.
 *
 * @example
 * ```ts
 * await verifyPassword(await hashPassword('s3cret'), 's3cret'); // true
 * ```
 */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (BCRYPT_PATTERN.test(hash)) return bcryptCompare(password, hash);
  const scryptHash = parseScrypt(hash);
  if (!scryptHash) return false;
  const { salt, expected, params } = scryptHash;
  const actual = await scryptAsync(password, salt, expected.length, params);
  return timingSafeEqual(actual, expected);
}

interface ScryptHash {
  readonly salt: Buffer;
  readonly expected: Buffer;
  readonly params: ScryptOptions;
}

function parseScrypt(hash: string): ScryptHash | undefined {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    hash,
  );
  if (!match) return undefined;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Bounds keep a hostile file from asking for gigabytes of memory per check.
  if (logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  const expected = Buffer.from(match[5], 'base64');
  if (expected.length < 16) return undefined;
  return { salt: Buffer.from(match[4], 'base64'), expected, params: { N: 2 ** logN, r, p } };
}

function scryptAsync(
  password: string,
  salt: Buffer,
  length: number,
  options: ScryptOptions,
): Promise<Buffer> {
  // maxmem: 128 * N * r bytes plus slack, so every accepted cost runs.
  const maxmem = 256 * (options.N ?? 0) * (options.r ?? 1) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
