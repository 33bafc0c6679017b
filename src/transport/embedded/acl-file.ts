/**
 * Per-device rules of the embedded broker (EMBEDDED_BROKER_ACL), in a subset of Mosquitto's acl_file
 * syntax (mosquitto.conf(5), "acl_file"):
 *
 * ```text
 * # anonymous clients (lines before the first `user` line)
 * topic read public/#
 * user alice
 * topic readwrite sensors/alice/#
 * # every authenticated client; %u is the user name, %c the client id
 * pattern write devices/%c/data
 * ```
 *
 * With a file, a device may do only what a line grants (deny by default). The access word is optional
 * and defaults to readwrite, as in Mosquitto.
 * @module
 */
import { matchesFilter, splitTopic } from '../../routing/topic-filter';

/** What a client does with a topic: receive it (subscribe, deliveries) or publish it. */
export type AclAccess = 'read' | 'write';

interface AclRule {
  readonly filter: string;
  readonly read: boolean;
  readonly write: boolean;
}

/** A parsed ACL file. */
export interface Acl {
  /** Rules of clients without a user name. */
  readonly anonymous: readonly AclRule[];
  readonly byUser: ReadonlyMap<string, readonly AclRule[]>;
  /** `pattern` rules, with `%u`/`%c` still in them. */
  readonly patterns: readonly AclRule[];
}

/** Who asks: the CONNECT user name (undefined when anonymous) and client id. */
export interface AclSubject {
  readonly username?: string;
  readonly clientId: string;
}

const ACCESS_WORDS = { read: [true, false], write: [false, true], readwrite: [true, true] } as const;

/**
 * Parses an ACL file's text; the problems name the file and the line.
 *
 * @example
 * ```ts
 * const parsed = parseAclFile('user alice\ntopic readwrite a/#\n', 'acl.conf');
 * if ('acl' in parsed) aclAllows(parsed.acl, { username: 'alice', clientId: 'c1' }, 'a/b', 'write'); // true
 * ```
 */
export function parseAclFile(text: string, source: string): { acl: Acl } | { problems: string[] } {
  const anonymous: AclRule[] = [];
  const byUser = new Map<string, AclRule[]>();
  const patterns: AclRule[] = [];
  const problems: string[] = [];
  let current = anonymous;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${index + 1}`;
    const [keyword, ...rest] = line.split(/\s+/);
    if (keyword === 'user') {
      const user = line.slice('user'.length).trim();
      if (user === '') problems.push(`${where}: "user" needs a user name`);
      current = byUser.get(user) ?? [];
      byUser.set(user, current);
      return;
    }
    if (keyword !== 'topic' && keyword !== 'pattern') {
      problems.push(`${where}: unknown keyword ${JSON.stringify(keyword)}; use user, topic or pattern`);
      return;
    }
    const rule = parseRule(rest, line, keyword);
    if (typeof rule === 'string') problems.push(`${where}: ${rule}`);
    else (keyword === 'pattern' ? patterns : current).push(rule);
  });
  return problems.length > 0 ? { problems } : { acl: { anonymous, byUser, patterns } };
}

function parseRule(words: string[], line: string, keyword: string): AclRule | string {
  if (words.length === 0) return `"${keyword}" needs a topic, e.g. "${keyword} read sensors/#"`;
  const access =
    words[0] in ACCESS_WORDS && words.length > 1 ? (words[0] as keyof typeof ACCESS_WORDS) : undefined;
  if (words[0] === 'deny') return '"deny" is not supported; grant only what is allowed (deny is the default)';
  // The topic is the rest of the line: Mosquitto allows spaces in it.
  const after = line.slice(keyword.length).trim();
  const filter = access ? after.slice(access.length).trim() : after;
  const problem = filterProblem(filter);
  if (problem) return `${JSON.stringify(filter)} ${problem}`;
  const [read, write] = ACCESS_WORDS[access ?? 'readwrite'];
  return { filter, read, write };
}

function filterProblem(filter: string): string | undefined {
  const levels = splitTopic(filter);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level === '#' && i !== levels.length - 1) return 'has "#" before the last level [MQTT-4.7.1-2]';
    if (level !== '#' && level !== '+' && (level.includes('#') || level.includes('+')))
      return 'mixes a wildcard with other characters in one level [MQTT-4.7.1-3]';
  }
  return undefined;
}

/**
 * True when the ACL lets the subject publish (`write`) or receive (`read`) the topic name.
 */
export function aclAllows(acl: Acl, subject: AclSubject, topic: string, access: AclAccess): boolean {
  return rulesOf(acl, subject).some((rule) => rule[access] && matchesFilter(rule.filter, topic));
}

/**
 * True when the ACL lets the subject subscribe to the filter: some `read` rule covers every topic the
 * filter can match (`a/+` needs `a/+` or `a/#`, not `a/b`), as Mosquitto checks subscriptions.
 */
export function aclAllowsSubscribe(acl: Acl, subject: AclSubject, filter: string): boolean {
  return rulesOf(acl, subject).some((rule) => rule.read && covers(rule.filter, filter));
}

function rulesOf(acl: Acl, subject: AclSubject): AclRule[] {
  const own = subject.username === undefined ? acl.anonymous : (acl.byUser.get(subject.username) ?? []);
  if (subject.username === undefined) return [...own];
  // Mosquitto does not substitute an id holding a wildcard or a level separator: no pattern applies.
  const unsafe = (value: string): boolean => /[+#/]/.test(value);
  if (unsafe(subject.username) || unsafe(subject.clientId)) return [...own];
  const patterns = acl.patterns.map((rule) => ({
    ...rule,
    filter: rule.filter.replaceAll('%u', subject.username ?? '').replaceAll('%c', subject.clientId),
  }));
  return [...own, ...patterns];
}

/** True when every topic matching `filter` also matches `rule`. */
export function covers(rule: string, filter: string): boolean {
  // A wildcard first level never matches a `$` topic [MQTT-4.7.2-1].
  if (filter.startsWith('$') && /^[+#]/.test(rule)) return false;
  const r = splitTopic(rule);
  const f = splitTopic(filter);
  for (let i = 0; i < r.length; i++) {
    if (r[i] === '#') return true;
    if (i >= f.length || f[i] === '#') return false;
    if (r[i] === '+') continue;
    if (f[i] === '+' || f[i] !== r[i]) return false;
  }
  return r.length === f.length;
}
