import type { CompiledTemplate } from '../../routing/topic-template';

/** An AsyncAPI parameter (v3: a string, described). */
export interface AsyncApiParameter {
  readonly description: string;
}

/** A channel address with `{name}` parameters, and those parameters. */
export interface ChannelAddress {
  readonly address: string;
  readonly parameters: Record<string, AsyncApiParameter>;
}

/**
 * The AsyncAPI address of a route template. `{name}` stays; `{name*}` becomes `{name}` described as the
 * rest of the topic; a bare `+` or `#` becomes a parameter named after its position (AsyncAPI addresses
 * have no wildcards).
 *
 * @example
 * ```ts
 * channelAddress(compiled('files/{owner}/{path*}')).address; // 'files/{owner}/{path}'
 * ```
 */
export function channelAddress(template: CompiledTemplate): ChannelAddress {
  const parameters: Record<string, AsyncApiParameter> = {};
  const levels = template.levels.map((level, i) => {
    const position = i + 1;
    switch (level.kind) {
      case 'literal':
        return level.value;
      case 'param':
        parameters[level.name] = { description: `topic level ${position} (MQTT +)` };
        return `{${level.name}}`;
      case 'rest':
        parameters[level.name] = {
          description: `the rest of the topic from level ${position}, may hold / (MQTT #)`,
        };
        return `{${level.name}}`;
      case 'single':
        parameters[`level${position}`] = { description: `topic level ${position}, not captured (MQTT +)` };
        return `{level${position}}`;
      case 'multi':
        parameters.rest = {
          description: `the rest of the topic from level ${position}, not captured (MQTT #)`,
        };
        return '{rest}';
    }
  });
  return { address: levels.join('/'), parameters };
}

/**
 * A channel id (a key of `channels`) from a template: levels joined by `.`, braces dropped, wildcards
 * spelled out, so `sensors/{device_id}/data` gives `sensors.device_id.data`.
 *
 * @example
 * ```ts
 * channelId('alerts/#'); // 'alerts.all'
 * ```
 */
export function channelId(template: string): string {
  const id = template
    .split('/')
    .map((level) => (level === '+' ? 'any' : level === '#' ? 'all' : level.replace(/[{}*]/g, '')))
    .map((level) => level.replace(/[^A-Za-z0-9_-]/g, '_') || '_')
    .join('.');
  return id;
}
