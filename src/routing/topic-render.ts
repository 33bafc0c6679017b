import { RouteMQError } from '../errors';
import type { CompiledTemplate } from './topic-template';
import { unsafeTopicValue } from './topic-builder';

/**
 * Builds a publish topic from a template without wildcards and parameter values. A value holding `/`,
 * `+`, `#` or NUL is refused before anything is published: it would change the topic's shape, and
 * Mosquitto drops the whole connection for a PUBLISH with a wildcard or NUL [MQTT-3.3.2-2].
 *
 * @example
 * ```ts
 * renderTopic(parsed, { device_id: 'dev-1' }); // 'devices/dev-1/status'
 * ```
 */
export function renderTopic(template: CompiledTemplate, params: Readonly<Record<string, string>>): string {
  const levels = template.levels.map((level) => {
    if (level.kind === 'literal') return level.value;
    if (level.kind === 'param') return checkedValue(template, level.name, params[level.name]);
    throw new RouteMQError(
      'ERR_PUBLISH_TOPIC_INVALID',
      `Cannot publish to '${template.template}': a publish topic cannot hold wildcards. Use literal levels and {name} parameters.`,
    );
  });
  return levels.join('/');
}

function checkedValue(template: CompiledTemplate, name: string, value: string | undefined): string {
  if (value === undefined) {
    throw new RouteMQError(
      'ERR_PUBLISH_TOPIC_INVALID',
      `Cannot build '${template.template}': no value for {${name}}. Pass every parameter the template names.`,
    );
  }
  // The same rule as the topic`...` builder: the value comes from the message's topic.
  if (unsafeTopicValue(value)) {
    throw new RouteMQError(
      'ERR_PUBLISH_TOPIC_INVALID',
      `Cannot build '${template.template}': {${name}} = ${JSON.stringify(value)} is empty, starts with '$' or holds ` +
        `'/', '+', '#' or NUL, which would change or break the topic. Reject or encode such values before publishing.`,
    );
  }
  return value;
}
