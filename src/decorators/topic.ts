import { controllerArgsOf } from '../metadata/store';
import type { TopicOptions } from '../metadata/types';

/**
 * Declares a route: the method handles messages whose topic matches the template. `{name}` matches one
 * level (MQTT `+`), `{name*}` the rest of the topic (MQTT `#`, last level only); plain `+` and `#` work
 * too. The template is checked at boot (see docs/routing.md).
 *
 * @example
 * ```ts
 * @Topic('{device_id}/data', { qos: 1, shared: true, workers: 3 })
 * async data(@Param('device_id') id: string, @Payload() reading: ReadingDto) {}
 * ```
 */
export function Topic(template: string, options: TopicOptions = {}): MethodDecorator {
  return (target, propertyKey) => {
    controllerArgsOf(target.constructor).routes.push({
      method: String(propertyKey),
      template,
      options: { ...options },
    });
  };
}
