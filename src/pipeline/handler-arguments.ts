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

/** Resolves the handler's arguments in parameter order. */
export async function resolveArguments(
  specs: readonly ArgumentSpec[],
  ctx: MessageContext,
): Promise<unknown[]> {
  const values = new Array<unknown>(specs.length);
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (spec.kind === 'param') values[i] = ctx.params[spec.name];
    else if (spec.kind === 'ctx') values[i] = ctx;
    else values[i] = await spec.convert(ctx);
  }
  return values;
}
