import { controllerArgsOf } from '../metadata/store';
import type { Class, ParamArgs } from '../metadata/types';

type ParamRecord = { kind: 'param'; name: string } | { kind: 'payload'; type?: Class } | { kind: 'ctx' };

function recordParam(
  target: object,
  propertyKey: string | symbol | undefined,
  index: number,
  record: ParamRecord,
) {
  const args = controllerArgsOf(target.constructor);
  const method = String(propertyKey);
  const list = args.params.get(method) ?? [];
  list.push({ index, ...record } as ParamArgs);
  args.params.set(method, list);
}

/**
 * Injects one topic parameter by name (a `{name}` or `{name*}` level of the route's template).
 *
 * @example
 * ```ts
 * @Topic('sensors/{device_id}/data')
 * data(@Param('device_id') deviceId: string) {}
 * ```
 */
export function Param(name: string): ParameterDecorator {
  return (target, propertyKey, index) => recordParam(target, propertyKey, index, { kind: 'param', name });
}

/**
 * Injects the payload: parsed JSON, or the raw Buffer when the payload is not JSON. When the parameter's
 * declared type is a class (a DTO), the payload is turned into an instance of it (see docs/controllers.md).
 *
 * @example
 * ```ts
 * @Topic('sensors/{device_id}/data')
 * data(@Payload() reading: { temperature: number }) {}
 * ```
 */
export function Payload(): ParameterDecorator {
  return (target, propertyKey, index) => {
    const types = Reflect.getMetadata('design:paramtypes', target, propertyKey as string | symbol) as
      Class[] | undefined;
    recordParam(target, propertyKey, index, { kind: 'payload', type: types?.[index] });
  };
}

/**
 * Injects the {@link MessageContext} of the message.
 *
 * @example
 * ```ts
 * @Topic('sensors/{device_id}/data')
 * data(@Ctx() ctx: MessageContext) { ctx.logger.info('got it'); }
 * ```
 */
export function Ctx(): ParameterDecorator {
  return (target, propertyKey, index) => recordParam(target, propertyKey, index, { kind: 'ctx' });
}
