/**
 * Topic templates: what a user writes in `@Topic('{device_id}/data')`, checked and compiled to the MQTT
 * filter the broker is asked for (`sensors/+/data`), plus the parameter capture done per message.
 * @module
 */

/**
 * One level of a compiled template: `literal` text, `{name}` (`param`, subscribes `+`), `{name*}` (`rest`,
 * last level only, subscribes `#`), a literal `+` (`single`) or a literal `#` (`multi`, last level only).
 *
 * @example
 * ```ts
 * // 'files/{owner}/{path*}'
 * [{ kind: 'literal', value: 'files' }, { kind: 'param', name: 'owner' }, { kind: 'rest', name: 'path' }];
 * ```
 */
export type TemplateLevel =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'rest'; name: string }
  | { kind: 'single' }
  | { kind: 'multi' };

/**
 * A template that passed every check: the MQTT `filter` to subscribe and key the trie on, and what
 * parameter capture needs.
 *
 * @example
 * ```ts
 * const { compiled } = parseTemplate('sensors/{device_id}/data') as { ok: true; compiled: CompiledTemplate };
 * compiled.filter;     // 'sensors/+/data'
 * compiled.paramNames; // ['device_id']
 * ```
 */
export interface CompiledTemplate {
  /** The template as written (after prefix joining), e.g. `sensors/{device_id}/data`. */
  readonly template: string;
  readonly filter: string;
  readonly levels: readonly TemplateLevel[];
  /** Parameter names in level order. */
  readonly paramNames: readonly string[];
}

/**
 * The outcome of {@link parseTemplate}: the compiled template, or every problem found.
 *
 * @example
 * ```ts
 * const result: TemplateParseResult = parseTemplate('a/x{id}');
 * if (!result.ok) result.errors; // ['level 2 ("x{id}") holds more than one part: ...']
 * ```
 */
export type TemplateParseResult = { ok: true; compiled: CompiledTemplate } | { ok: false; errors: string[] };

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const WHOLE_PARAM = /^\{([^{}]*)\}$/;
const BRACE_GROUPS = /\{[^{}]*\}/g;
const SHARE_PREFIXES: ReadonlySet<string> = new Set(['$share', '$queue']);
const MAX_FILTER_BYTES = 65535;

/** A level that passed its own checks, with its 1-based position for later messages. */
interface ParsedLevel {
  readonly position: number;
  readonly text: string;
  readonly level: TemplateLevel;
}

/**
 * Joins a controller/group prefix and a method template with exactly one `/` and nothing else. A
 * leading or trailing `/` makes a distinct topic (MQTT 5.0 section 4.7.3: `/finance` is not `finance`),
 * so nothing is trimmed: `'sensors/'` + `'{id}'` is `sensors//{id}`, a filter with an empty level.
 * An empty prefix or an empty template adds no level.
 *
 * @example
 * ```ts
 * joinTemplate('sensors', '{id}/data'); // 'sensors/{id}/data'
 * joinTemplate('sensors', '');          // 'sensors'
 * joinTemplate(undefined, '/#');        // '/#' (kept: it matches '/a', never 'a')
 * ```
 */
export function joinTemplate(prefix: string | undefined, template: string): string {
  if (prefix === undefined || prefix === '') return template;
  if (template === '') return prefix;
  return `${prefix}/${template}`;
}

/**
 * Checks a template and compiles it. Never throws: every problem is collected, so one boot shows them
 * all, each naming the level (1-based) and saying how to fix it.
 *
 * @example
 * ```ts
 * const result = parseTemplate('sensors/{device_id}/data');
 * if (result.ok) result.compiled.filter; // 'sensors/+/data'
 * else console.error(result.errors.join('\n'));
 * ```
 */
export function parseTemplate(template: string): TemplateParseResult {
  if (template.length === 0) {
    return { ok: false, errors: ['the template is empty: give at least one level, e.g. "sensors/{id}"'] };
  }
  const texts = template.split('/');
  const errors = templateWideProblems(template, texts[0]);
  const parsed: ParsedLevel[] = [];
  texts.forEach((text, index) => {
    const level = parseLevel(text, index + 1, errors);
    if (level !== undefined) parsed.push({ position: index + 1, text, level });
  });
  errors.push(...crossLevelProblems(parsed, texts.length));
  if (errors.length > 0) return { ok: false, errors };
  const levels = parsed.map((entry) => entry.level);
  const paramNames = levels.flatMap((level) => ('name' in level ? [level.name] : []));
  return { ok: true, compiled: { template, filter: levels.map(filterLevel).join('/'), levels, paramNames } };
}

function templateWideProblems(template: string, firstLevel: string): string[] {
  const problems: string[] = [];
  if (SHARE_PREFIXES.has(firstLevel)) {
    problems.push(
      `level 1 (${quote(firstLevel)}) is a shared-subscription prefix: remove "${firstLevel}/<group>/" ` +
        'from the template and set the route option `shared: true` (and `group` if needed) instead',
    );
  }
  // A filter is at most 65535 bytes of UTF-8 [MQTT-4.7.3-3]; the compiled filter is never longer.
  if (Buffer.byteLength(template) > MAX_FILTER_BYTES) {
    problems.push(`the template is longer than ${MAX_FILTER_BYTES} bytes [MQTT-4.7.3-3]: shorten it`);
  }
  return problems;
}

function parseLevel(text: string, position: number, errors: string[]): TemplateLevel | undefined {
  const where = `level ${position} (${quote(text)})`;
  if (text.includes('\u0000')) {
    errors.push(`${where} holds a NUL character, which MQTT forbids in topics [MQTT-4.7.3-2]: remove it`);
  }
  // Adjacent separators make a zero-length level, legal in names and filters (MQTT 5.0 sections 4.7.1.1, 4.7.3).
  if (text === '') return { kind: 'literal', value: '' };
  const inner = WHOLE_PARAM.exec(text)?.[1];
  if (inner !== undefined) return parseParam(inner, where, errors);
  if (text.includes('{') || text.includes('}')) {
    errors.push(braceProblem(text, where));
    return undefined;
  }
  return parseLiteral(text, where, errors);
}

/** Braces that pair up but share the level with other text, or braces that do not pair at all. */
function braceProblem(text: string, where: string): string {
  const outsideGroups = text.replace(BRACE_GROUPS, '');
  if (outsideGroups.includes('{') || outsideGroups.includes('}')) {
    return `${where} has an unmatched "{" or "}": write a parameter as "{name}"`;
  }
  return `${where} holds more than one part: a parameter must be a whole level, as in "a/{id}/b" (not "x{id}")`;
}

function parseParam(inner: string, where: string, errors: string[]): TemplateLevel | undefined {
  const isRest = inner.endsWith('*');
  const name = isRest ? inner.slice(0, -1) : inner;
  if (PARAM_NAME.test(name)) return isRest ? { kind: 'rest', name } : { kind: 'param', name };
  errors.push(
    `${where} has an invalid parameter name ${quote(name)}: start with a letter or "_", then letters, ` +
      'digits or "_", as in "{device_id}" or "{path*}"',
  );
  return undefined;
}

function parseLiteral(text: string, where: string, errors: string[]): TemplateLevel | undefined {
  if (text === '+') return { kind: 'single' };
  if (text === '#') return { kind: 'multi' };
  if (!text.includes('+') && !text.includes('#')) return { kind: 'literal', value: text };
  // A wildcard occupies a whole level [MQTT-4.7.1-2] [MQTT-4.7.1-3].
  errors.push(
    `${where} holds "+" or "#" inside a literal: a wildcard must be a whole level ("a/+/b", "a/#"), ` +
      'or use a parameter such as "{name}"',
  );
  return undefined;
}

/** `#` and `{name*}` take the rest of the topic, so they come last [MQTT-4.7.1-2]; names are unique. */
function crossLevelProblems(parsed: readonly ParsedLevel[], levelCount: number): string[] {
  const problems: string[] = [];
  const firstPosition = new Map<string, number>();
  for (const { level, position, text } of parsed) {
    const where = `level ${position} (${quote(text)})`;
    if ((level.kind === 'multi' || level.kind === 'rest') && position < levelCount) {
      problems.push(
        `${where} takes the rest of the topic, so it must be the last level [MQTT-4.7.1-2]: move it ` +
          'to the end, or use "+" or "{name}" for one level',
      );
    }
    if (level.kind !== 'param' && level.kind !== 'rest') continue;
    const earlier = firstPosition.get(level.name);
    if (earlier === undefined) firstPosition.set(level.name, position);
    else
      problems.push(`${where} repeats the parameter "${level.name}" of level ${earlier}: rename one of them`);
  }
  return problems;
}

function filterLevel(level: TemplateLevel): string {
  switch (level.kind) {
    case 'literal':
      return level.value;
    case 'param':
    case 'single':
      return '+';
    case 'rest':
    case 'multi':
      return '#';
  }
}

/**
 * The prototype of every parameter record: an empty, frozen object with no prototype of its own. Records
 * made from it inherit nothing (no `__proto__` setter, no `constructor`), and unlike
 * `Object.create(null)` objects, which V8 keeps in slow dictionary mode, they stay fast to build.
 */
const PARAMS_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/**
 * Captures the parameters of a topic that matched the template's filter. The record inherits nothing,
 * so a parameter named `__proto__` or `constructor` is an ordinary key. A `{name*}` level gets the
 * remaining levels joined with `/`, or `''` when the topic stops at the parent level (`sport/#` matches
 * `sport` [MQTT-4.7.1-2]).
 *
 * @example
 * ```ts
 * const { compiled } = parseTemplate('files/{owner}/{path*}') as { ok: true; compiled: CompiledTemplate };
 * extractParams(compiled, 'files/ana/a/b.txt'.split('/')); // { owner: 'ana', path: 'a/b.txt' }
 * ```
 */
export function extractParams(
  compiled: CompiledTemplate,
  topicLevels: readonly string[],
): Record<string, string> {
  return captureParams(paramCaptureOf(compiled), topicLevels);
}

/**
 * What parameter capture needs of a template, flat: one entry per `{name}` / `{name*}` level. The route
 * table keeps one per route, shared by routes of the same shape, so that capturing reads a few hot
 * objects instead of walking the template's levels (cache misses at 100,000 routes, docs/benchmarks.md).
 *
 * @example
 * ```ts
 * paramCaptureOf(compiled('files/{owner}/{path*}')); // [{ index: 1, name: 'owner', rest: false }, { index: 2, name: 'path', rest: true }]
 * ```
 */
export interface ParamCapture {
  readonly index: number;
  readonly name: string;
  /** `{name*}`: the remaining levels, joined with `/`. */
  readonly rest: boolean;
}

export function paramCaptureOf(compiled: CompiledTemplate): ParamCapture[] {
  const captures: ParamCapture[] = [];
  compiled.levels.forEach((level, index) => {
    if (level.kind === 'param' || level.kind === 'rest') {
      captures.push({ index, name: level.name, rest: level.kind === 'rest' });
    }
  });
  return captures;
}

/** {@link extractParams} from a capture made by {@link paramCaptureOf}. */
export function captureParams(
  captures: readonly ParamCapture[],
  topicLevels: readonly string[],
): Record<string, string> {
  const params = Object.create(PARAMS_PROTOTYPE) as Record<string, string>;
  for (let i = 0; i < captures.length; i++) {
    const { index, name, rest } = captures[i];
    params[name] = rest ? topicLevels.slice(index).join('/') : (topicLevels[index] ?? '');
  }
  return params;
}

/** Shows a level in a message; JSON quoting makes NUL and other control characters visible. */
function quote(text: string): string {
  return JSON.stringify(text);
}
