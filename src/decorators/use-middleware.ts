import { controllerArgsOf } from '../metadata/store';
import type { MiddlewareClass } from '../pipeline/middleware';

/**
 * Adds class middleware to every route of a controller (on the class) or to one route (on a method).
 * Order: app-wide, module, controller, then method middleware; in each list, left to right.
 *
 * @example
 * ```ts
 * @Controller('sensors')
 * @UseMiddleware(Timing)
 * class SensorController {
 *   @Topic('{id}/data') @UseMiddleware(Authorize)
 *   data() {}
 * }
 * ```
 */
export function UseMiddleware(...middleware: MiddlewareClass[]): ClassDecorator & MethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) {
      controllerArgsOf(target).middleware.push(...middleware);
      return;
    }
    const args = controllerArgsOf(target.constructor);
    const key = String(propertyKey);
    args.methodMiddleware.set(key, [...(args.methodMiddleware.get(key) ?? []), ...middleware]);
  };
}
