import { controllerArgsOf } from '../metadata/store';
import type { Class, ParamArgs } from '../metadata/types';

type ParamRecord =
  | { kind: 'param'; name: string }
  | { kind: 'payload'; type?: Class; typeUnknown?: boolean }
  | { kind: 'ctx' }
  | { kind: 'batch'; type?: Class };

/** Records one parameter decorator of a handler. */
export function recordParam(
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
 * type is a class (a DTO), the payload is turned into a validated instance of it (see
 * docs/controllers.md). The type comes from `type` when given, else from the compiler's decorator
 * metadata; give it explicitly (`@Payload(ReadingDto)`, `@Payload(Object)` for plain JSON) when the
 * code is compiled without `emitDecoratorMetadata` (tsx, esbuild, Bun: see docs/toolchains.md).
 *
 * @example
 * ```ts
 * @Topic('sensors/{device_id}/data')
 * data(@Payload(ReadingDto) reading: ReadingDto, @Payload() raw: { temperature: number }) {}
 * ```
 */
export function Payload(type?: Class): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (type !== undefined) return recordParam(target, propertyKey, index, { kind: 'payload', type });
    const types = Reflect.getMetadata('design:paramtypes', target, propertyKey as string | symbol) as
      Class[] | undefined;
    // Without metadata the declared type is unknown: a DTO would silently go unvalidated, so the app
    // refuses to boot (docs/toolchains.md) instead of guessing.
    recordParam(target, propertyKey, index, {
      kind: 'payload',
      type: types?.[index],
      typeUnknown: types === undefined,
    });
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
