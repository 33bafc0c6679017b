import { RouteMQError } from '../errors';
import { breaksTopicLevel } from './topic-filter';

/**
 * Builds a publish topic from a template literal, refusing any interpolated value that would change the
 * topic's shape or break the connection: a `/`, `+`, `#` or NUL, an empty value, or a leading `$`
 * (reserved for broker topics such as `$SYS`). Values usually come from messages: a device id of
 * `+` would otherwise turn a publish into an invalid topic, which Mosquitto answers by dropping the
 * whole connection [MQTT-3.3.2-2].
 *
 * @example
 * ```ts
 * await this.publisher.publish(topic`alerts/${deviceId}/temperature`, reading, { qos: 1 });
 * topic`alerts/${'a/b'}`; // throws ERR_PUBLISH_TOPIC_INVALID
 * ```
 */
export function topic(
  strings: TemplateStringsArray,
  ...values: ReadonlyArray<string | number | EmptyAllowed>
): string {
  let result = strings[0];
  values.forEach((value, i) => {
    result += levelValue(value, strings.raw.join('${...}')) + strings[i + 1];
  });
  return result;
}

/**
 * A {@link topic} value that may be empty: a zero-length level is a legal topic level (MQTT 5.0
 * section 4.7.1.1), but usually a missing id, so the builder refuses `''` unless wrapped in this.
 * The other rules (no `/`, `+`, `#`, NUL, no leading `$`) still apply.
 *
 * @example
 * ```ts
 * topic`replies/${allowEmpty(ctx.params.tenant)}/status`; // 'replies//status' when tenant is ''
 * ```
 */
export class EmptyAllowed {
  constructor(readonly value: string) {}
}

/**
 * Marks a {@link topic} value as allowed to be empty (see {@link EmptyAllowed}).
 *
 * @example
 * ```ts
 * topic`a/${allowEmpty('')}/b`; // 'a//b'
 * ```
 */
export function allowEmpty(value: string): EmptyAllowed {
  return new EmptyAllowed(value);
}

function levelValue(value: string | number | EmptyAllowed, template: string): string {
  if (value instanceof EmptyAllowed && value.value === '') return '';
  return checkedLevelValue(value instanceof EmptyAllowed ? value.value : String(value), template);
}

/**
 * True when a value cannot fill one level of a publish topic: empty, holding `/`, `+`, `#` or NUL, or
 * starting with `$`. The one rule of {@link topic} and of reply topics rendered from parameters.
 *
 * @example
 * ```ts
 * unsafeTopicValue('dev-1'); // false
 * unsafeTopicValue('$SYS'); // true
 * ```
 */
export function unsafeTopicValue(value: string): boolean {
  return value === '' || breaksTopicLevel(value) || value.startsWith('$');
}

function checkedLevelValue(value: string, template: string): string {
  if (unsafeTopicValue(value)) {
    throw new RouteMQError(
      'ERR_PUBLISH_TOPIC_INVALID',
      `Cannot build the topic \`${template}\`: the value ${JSON.stringify(value)} is empty, starts with '$' ` +
        `or holds '/', '+', '#' or NUL. Validate values taken from messages before using them in topics.`,
    );
  }
  return value;
}
