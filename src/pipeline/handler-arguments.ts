import type { MessageContext } from './message-context';

/**
 * Turns the payload into what a `@Payload()` parameter asks for. Returns a value or a promise of one;
 * throws (or rejects) when the payload does not fit, which fails the message for that route.
 */
export type PayloadConverter = (ctx: MessageContext) => unknown;

/** How to produce one handler argument. */
export type ArgumentSpec =
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'payload'; readonly convert: PayloadConverter }
  | { readonly kind: 'ctx' };

/**
 * Resolves the handler's arguments in parameter order: the array itself when every argument is at hand,
 * a promise of it once a converter returns one (a DTO). Synchronous in the common case: an async
 * function here cost a promise and a microtask per message (docs/benchmarks.md). Converters still run
 * one after the other, each after the previous one settled. A converter that throws throws from here.
 */
export function resolveArguments(
  specs: readonly ArgumentSpec[],
  ctx: MessageContext,
  from = 0,
  values: unknown[] = new Array<unknown>(specs.length),
): unknown[] | Promise<unknown[]> {
  for (let i = from; i < specs.length; i++) {
    const spec = specs[i];
    if (spec.kind === 'param') values[i] = ctx.params[spec.name];
    else if (spec.kind === 'ctx') values[i] = ctx;
    else {
      const value = spec.convert(ctx);
      if (isThenable(value)) {
        return Promise.resolve(value).then((settled) => {
          values[i] = settled;
          return resolveArguments(specs, ctx, i + 1, values);
        });
      }
      values[i] = value;
    }
  }
  return values;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
