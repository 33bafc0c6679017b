import { injectable } from 'tsyringe';
import { controllerArgsOf } from '../metadata/store';

/**
 * Marks a class as a controller whose `@Topic` methods become routes. The optional prefix is joined
 * in front of every template of the class (a route group). The class is made injectable: its
 * constructor parameters are resolved from the app's container.
 *
 * @example
 * ```ts
 * @Controller('sensors')
 * class SensorController {
 *   constructor(private readonly publisher: MqttPublisher) {}
 *   @Topic('{device_id}/data', { qos: 1 })
 *   data(@Param('device_id') id: string, @Payload() body: unknown) {}
 * }
 * ```
 */
export function Controller(prefix?: string): ClassDecorator {
  return (target) => {
    const args = controllerArgsOf(target);
    args.isController = true;
    args.prefix = prefix;
    injectable()(target as unknown as new (...a: unknown[]) => unknown);
  };
}
