import { redactUrl } from '../redaction';
import { breaksTopicLevel } from '../routing/topic-filter';

/** A parsed value, or the sentence that says why the raw value is wrong. */
export type Parsed<T> = { value: T } | { problem: string };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** An optional free-text value (empty means unset). */
export function parseText(raw: unknown): Parsed<string | undefined> {
  if (isBlank(raw)) return { value: undefined };
  if (typeof raw !== 'string') return { problem: `${JSON.stringify(raw)} is not text` };
  return { value: raw.trim() };
}

/**
 * A secret key (RETRY_SECRET): at least 16 characters. The problem never repeats the value.
 */
export function parseSecret(raw: unknown): Parsed<string | undefined> {
  if (isBlank(raw)) return { value: undefined };
  if (typeof raw !== 'string') return { problem: 'is not text' };
  if (raw.trim().length < 16) {
    return {
      problem: `is ${raw.trim().length} characters long; use at least 16 (e.g. openssl rand -hex 32)`,
    };
  }
  return { value: raw.trim() };
}

/** Free text with a default when unset (a path, a name). */
export function parseTextOr(raw: unknown, fallback: string): Parsed<string> {
  const parsed = parseText(raw);
  if ('problem' in parsed) return parsed;
  return { value: parsed.value ?? fallback };
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/** A yes/no flag (`1`/`0`, `true`/`false`, `yes`/`no`, `on`/`off`), or the fallback when unset. */
export function parseBoolean<F extends boolean | undefined>(raw: unknown, fallback: F): Parsed<boolean | F> {
  if (isBlank(raw)) return { value: fallback };
  if (typeof raw === 'boolean') return { value: raw };
  const word = String(raw).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return { value: true };
  if (FALSE_WORDS.includes(word)) return { value: false };
  return {
    problem: `${JSON.stringify(raw)} is not a yes/no value; use true or false (also 1/0, yes/no, on/off)`,
  };
}

/** A comma-separated list (or an array given as an option); empty means none. */
export function parseList(raw: unknown): Parsed<readonly string[]> {
  if (isBlank(raw)) return { value: [] };
  const items = Array.isArray(raw) ? raw : String(raw).split(',');
  if (!items.every((item) => typeof item === 'string')) {
    return { problem: `${JSON.stringify(raw)} is not a list of text values` };
  }
  return { value: items.map((item) => item.trim()).filter((item) => item !== '') };
}

/** A whole number within [min, max], or the fallback when unset. */
export function parseInteger(raw: unknown, fallback: number, min: number, max: number): Parsed<number> {
  if (isBlank(raw)) return { value: fallback };
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    return { problem: `${JSON.stringify(raw)} is not a whole number from ${min} to ${max}` };
  }
  return { value };
}

/** A whole number within [min, max], or undefined when unset (a feature that is off by default). */
export function parseOptionalInteger(raw: unknown, min: number, max: number): Parsed<number | undefined> {
  if (isBlank(raw)) return { value: undefined };
  return parseInteger(raw, min, min, max);
}

/** A pino log level. */
export function parseLogLevel(raw: unknown): Parsed<LogLevel> {
  if (isBlank(raw)) return { value: 'info' };
  const level = String(raw).trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return { value: level as LogLevel };
  return { problem: `${JSON.stringify(raw)} is not a log level; use one of ${LOG_LEVELS.join(', ')}` };
}

/** A URL whose scheme is one of `schemes`; the problem text never repeats credentials. */
export function parseUrl(
  raw: unknown,
  schemes: readonly string[],
  example: string,
): Parsed<string | undefined> {
  if (isBlank(raw)) return { value: undefined };
  const text = String(raw).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `${JSON.stringify(redactUrl(text))} is not a URL; expected e.g. ${example}` };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    return {
      problem: `scheme "${scheme}" is not supported; use ${schemes.map((s) => `${s}://`).join(', ')} (e.g. ${example})`,
    };
  }
  return { value: text };
}

/**
 * The broker address: a URL (`mqtt://host:1883`, `mqtts://`, `ws://`, `wss://`) or a bare host
 * (`broker.local`, with MQTT_PORT), the form the Python RouteMQ used.
 */
export function parseBroker(raw: unknown, port: number): Parsed<string | undefined> {
  if (isBlank(raw)) return { value: undefined };
  const text = String(raw).trim();
  if (text.includes('://'))
    return parseUrl(text, ['mqtt', 'mqtts', 'tcp', 'ssl', 'ws', 'wss'], 'mqtt://127.0.0.1:1883');
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(text)) {
    return {
      problem: `${JSON.stringify(redactUrl(text))} is neither a host name nor a URL; expected e.g. mqtt://127.0.0.1:1883`,
    };
  }
  const hasPort = /:\d{1,5}$/.test(text) && !text.endsWith(']');
  return { value: hasPort ? `mqtt://${text}` : `mqtt://${text}:${port}` };
}

/** A share group name: non-empty, no `/`, `+`, `#` (MQTT 5.0 section 4.8.2). */
export function parseGroupName(raw: unknown): Parsed<string> {
  if (isBlank(raw)) return { value: 'routemq' };
  const text = String(raw).trim();
  if (breaksTopicLevel(text))
    return { problem: `${JSON.stringify(text)} holds '/', '+', '#' or NUL, which a share group name cannot` };
  return { value: text };
}

/** A shared-subscription prefix: `$share` (MQTT 5, Mosquitto, EMQX, HiveMQ) or `$queue` (EMQX). */
export function parseSharePrefix(raw: unknown): Parsed<'$share' | '$queue'> {
  if (isBlank(raw)) return { value: '$share' };
  const text = String(raw).trim().replace(/\/$/, '');
  if (text === '$share' || text === '$queue') return { value: text };
  return { problem: `${JSON.stringify(text)} is not a shared-subscription prefix; use $share or $queue` };
}

/** A topic prefix for publishes (dead-letter topics): levels without wildcards or NUL. */
export function parseTopicPrefix(raw: unknown): Parsed<string> {
  if (isBlank(raw)) return { value: 'routemq/dead-letter' };
  const text = String(raw).trim().replace(/\/+$/, '');
  if (text === '' || text.includes('+') || text.includes('#') || text.includes('\u0000')) {
    return {
      problem: `${JSON.stringify(text)} is not a topic prefix; use levels without + # or NUL (e.g. routemq/dead-letter)`,
    };
  }
  return { value: text };
}

/** A Redis key prefix for the job queues: letters, digits, `_`, `-`, `.` (a `:` would split BullMQ keys). */
export function parseJobPrefix(raw: unknown): Parsed<string> {
  const parsed = parseTextOr(raw, 'bull');
  if ('problem' in parsed) return parsed;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(parsed.value)) {
    return {
      problem: `${JSON.stringify(raw)} must be 1-64 letters, digits, _ . or - (e.g. bull, myapp-jobs)`,
    };
  }
  return parsed;
}

/**
 * A duration such as `14d`, `12h`, `90m`, `30s`, `2w` or a number of milliseconds, or `off` (0:
 * never), or the fallback when unset.
 */
export function parseDuration(raw: unknown, fallbackMs: number): Parsed<number> {
  if (isBlank(raw)) return { value: fallbackMs };
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) return { value: raw };
  const text = String(raw).trim();
  if (FALSE_WORDS.includes(text.toLowerCase())) return { value: 0 };
  const value = /^\d+$/.test(text) ? Number(text) : durationMs(text);
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    return { problem: `${JSON.stringify(raw)} is not a duration; use e.g. 14d, 12h, 30m, or off` };
  }
  return { value };
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function durationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i.exec(text);
  return match ? Number(match[1]) * (UNIT_MS[match[2].toLowerCase()] as number) : undefined;
}

/** One of a fixed set of words, or the fallback when unset. */
export function parseChoice<T extends string>(raw: unknown, choices: readonly T[], fallback: T): Parsed<T> {
  if (isBlank(raw)) return { value: fallback };
  const word = String(raw).trim().toLowerCase();
  const found = choices.find((choice) => choice === word);
  if (found !== undefined) return { value: found };
  return { problem: `${JSON.stringify(raw)} is not one of ${choices.join(', ')}` };
}
