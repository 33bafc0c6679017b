/**
 * The one way RouteMQ hides credentials: in URLs (configuration errors, logs, descriptions of
 * connections, metrics, the CLI) and in free text that may hold URLs (driver error messages).
 * @module
 */

/** `scheme://`: where a URL's authority starts. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** A URL inside free text: from its scheme to the next whitespace or quote. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]+/gi;
/** `?password=...` and friends in URLs. */
const QUERY_SECRETS = /([?&](?:password|passwd|pwd|token|secret|api[_-]?key|access[_-]?token)=)[^&\s#"']*/gi;

/**
 * A URL with its password masked: `redis://:****@127.0.0.1:6379`, `mqtt://user:****@broker:1883`.
 *
 * The user information ends at the **last** `@`: a password may hold a raw `@`, `/`, `:` or `?` that a
 * URL parser would take for the host or the path (`redis://:CD@SECRET@127.0.0.1` must not keep
 * `SECRET`), and such a URL may not parse at all, so no URL parser is used. A user name without a
 * password (`https://TOKEN@host`) is masked whole: tokens travel that way. Secret query parameters
 * (`?password=`, `?token=`, ...) are masked too. A value without a scheme is read as `user:pw@host`.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:p@ss/w0rd@db:5432/app'); // 'postgres://app:****@db:5432/app'
 * redactUrl('mqtt://broker:1883'); // 'mqtt://broker:1883'
 * ```
 */
export function redactUrl(url: string): string {
  // No scheme: a bare `user:pw@host` (MQTT_BROKER accepts bare hosts) is still user information.
  const scheme = SCHEME.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return scheme + rest.replace(QUERY_SECRETS, '$1****');
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  const masked = colon < 0 ? '****' : `${userInfo.slice(0, colon)}:****`;
  return `${scheme}${masked}@${rest.slice(at + 1).replace(QUERY_SECRETS, '$1****')}`;
}

/**
 * Free text with every URL in it redacted by {@link redactUrl}: for messages that interpolate a URL
 * (a driver's "cannot connect to postgres://..."), and for log lines.
 *
 * @example
 * ```ts
 * redactSecrets('cannot reach redis://:hunter2@cache:6379 (ECONNREFUSED)'); // 'cannot reach redis://:****@cache:6379 (ECONNREFUSED)'
 * ```
 */
export function redactSecrets(text: string): string {
  if (!text.includes('://') && !text.includes('=')) return text;
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(QUERY_SECRETS, '$1****');
}
