import {
  parseBoolean,
  parseInteger,
  parseList,
  parseOptionalInteger,
  parseText,
  parseTextOr,
  parseUrl,
  type Parsed,
} from './config-parsers';

/** The part of docs/configuration.md a variable is listed in. */
export type ConfigSection = 'general' | 'embedded' | 'integrations' | 'reliability' | 'operations' | 'jobs';

/** Fields parsed before this one (the table's order), for a value that depends on another. */
export type EarlierFields = Readonly<Record<string, unknown>>;

/**
 * One configuration variable: its name, how it is parsed (with its default), and what the docs say.
 * The configuration table (config-table.ts) is a record of these; the type, the parser, the defaults
 * and the tables of docs/configuration.md all come from it.
 *
 * @example
 * ```ts
 * const port = integer({ variable: 'MQTT_PORT', default: 1883, min: 0, max: 65535, section: 'general',
 *   description: 'Port of the embedded broker' });
 * port.parse('1884', {}); // { value: 1884 }
 * ```
 */
export interface ConfigField<T> {
  readonly variable: string;
  readonly section: ConfigSection;
  /** The default as docs/configuration.md shows it (`unset` when there is none). */
  readonly defaultText: string;
  /** The "meaning" column of docs/configuration.md. */
  readonly description: string;
  /** Reads a raw value (an environment string, or a createApp option as given); blank means unset. */
  readonly parse: (raw: unknown, earlier: EarlierFields) => Parsed<T>;
}

/** What every field builder takes. */
interface FieldText {
  readonly variable: string;
  readonly section: ConfigSection;
  readonly description: string;
}

const code = (value: unknown): string => `\`${String(value)}\``;

/**
 * A whole number within [min, max], with a default.
 *
 * @example
 * ```ts
 * integer({ variable: 'RETRY_ATTEMPTS', default: 3, min: 1, max: 1000, section: 'reliability', description: '...' });
 * ```
 */
export function integer(
  spec: FieldText & {
    readonly default: number;
    readonly min: number;
    readonly max: number;
    /** The default as the docs show it, when `default` alone does not say it well (a size in bytes). */
    readonly defaultText?: string;
  },
): ConfigField<number> {
  return {
    ...spec,
    defaultText: spec.defaultText ?? code(spec.default),
    parse: (raw) => parseInteger(raw, spec.default, spec.min, spec.max),
  };
}

/**
 * A whole number within [min, max], unset by default (a feature that is off until set).
 *
 * @example
 * ```ts
 * optionalInteger({ variable: 'HTTP_PORT', min: 0, max: 65535, section: 'operations', description: '...' });
 * ```
 */
export function optionalInteger(
  spec: FieldText & { readonly min: number; readonly max: number; readonly defaultText?: string },
): ConfigField<number | undefined> {
  return { defaultText: 'unset', ...spec, parse: (raw) => parseOptionalInteger(raw, spec.min, spec.max) };
}

/**
 * A yes/no flag with a default.
 *
 * @example
 * ```ts
 * flag({ variable: 'LOG_PRETTY', default: false, section: 'integrations', description: '...' });
 * ```
 */
export function flag(spec: FieldText & { readonly default: boolean }): ConfigField<boolean> {
  return { ...spec, defaultText: code(spec.default), parse: (raw) => parseBoolean(raw, spec.default) };
}

/**
 * A yes/no flag without a default: undefined lets the code decide (`defaultText` says how).
 *
 * @example
 * ```ts
 * optionalFlag({ variable: 'DATABASE_SYNCHRONIZE', defaultText: 'on for SQLite', section: 'integrations', description: '...' });
 * ```
 */
export function optionalFlag(
  spec: FieldText & { readonly defaultText: string },
): ConfigField<boolean | undefined> {
  return { ...spec, parse: (raw) => parseBoolean(raw, undefined) };
}

/**
 * Free text: unset by default, or with a default.
 *
 * @example
 * ```ts
 * text({ variable: 'MQTT_USERNAME', section: 'general', description: 'Broker user name' });
 * ```
 */
export function text(spec: FieldText & { readonly defaultText?: string }): ConfigField<string | undefined> {
  return { defaultText: 'unset', ...spec, parse: parseText };
}

/**
 * Free text with a default.
 *
 * @example
 * ```ts
 * textOr({ variable: 'DATA_DIR', default: './data', section: 'integrations', description: '...' });
 * ```
 */
export function textOr(spec: FieldText & { readonly default: string }): ConfigField<string> {
  return { ...spec, defaultText: code(spec.default), parse: (raw) => parseTextOr(raw, spec.default) };
}

/**
 * A comma-separated list (an array as an option); none by default.
 *
 * @example
 * ```ts
 * list({ variable: 'DATABASE_MIGRATIONS', section: 'integrations', description: '...' });
 * ```
 */
export function list(spec: FieldText): ConfigField<readonly string[]> {
  return { ...spec, defaultText: 'none', parse: parseList };
}

/**
 * A URL with one of `schemes`, unset by default.
 *
 * @example
 * ```ts
 * url({ variable: 'REDIS_URL', schemes: ['redis', 'rediss'], example: 'redis://127.0.0.1:6379', section: 'general', description: '...' });
 * ```
 */
export function url(
  spec: FieldText & { readonly schemes: readonly string[]; readonly example: string },
): ConfigField<string | undefined> {
  return { ...spec, defaultText: 'unset', parse: (raw) => parseUrl(raw, spec.schemes, spec.example) };
}

/**
 * Any other value: its own parser (which holds the default) and the default as the docs show it.
 *
 * @example
 * ```ts
 * custom({ variable: 'LOG_LEVEL', parse: parseLogLevel, defaultText: '`info`', section: 'general', description: '...' });
 * ```
 */
export function custom<T>(
  spec: FieldText & { readonly defaultText: string; readonly parse: ConfigField<T>['parse'] },
): ConfigField<T> {
  return spec;
}
