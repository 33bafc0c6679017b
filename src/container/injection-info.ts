/**
 * What tsyringe knows about a class's constructor, read from the same places tsyringe reads: the
 * compiler's `design:paramtypes`, the `@inject` tokens, and whether `@injectable()` (or `@Controller`)
 * registered it. Boot checks use it to explain a class that cannot be built before tsyringe fails
 * with "TypeInfo not known".
 * @module
 */

import type { Class } from '../metadata/types';

/** One constructor parameter as tsyringe will resolve it. */
export type ParameterSource =
  | { readonly kind: 'token'; readonly token: unknown; readonly optional: boolean; readonly skip: boolean }
  | { readonly kind: 'type'; readonly type: unknown }
  | { readonly kind: 'unknown' };

/** A class's constructor as seen by tsyringe. */
export interface InjectionInfo {
  /** Parameters tsyringe must fill (the constructor's declared ones). */
  readonly parameters: readonly ParameterSource[];
  /** True when `@injectable()`/`@singleton()`/`@Controller()` was applied; undefined when unknowable. */
  readonly injectable: boolean | undefined;
  /** True when the compiler emitted `design:paramtypes` for the class. */
  readonly hasMetadata: boolean;
}

// tsyringe's metadata key for @inject (reflection-helpers.ts of tsyringe 4).
const INJECTION_TOKENS = 'injectionTokens';

interface TokenDescriptor {
  token: unknown;
  multiple?: boolean;
  isOptional?: boolean;
  transform?: unknown;
}

/**
 * Reads the constructor parameters of `cls` the way tsyringe's `getParamInfo` does: `@inject` tokens
 * win over the compiler's parameter types.
 *
 * @example
 * ```ts
 * injectionInfoOf(SensorController).parameters[0]; // { kind: 'type', type: MqttPublisher }
 * ```
 */
export function injectionInfoOf(cls: Class): InjectionInfo {
  const types = Reflect.getMetadata('design:paramtypes', cls) as unknown[] | undefined;
  const tokens = (Reflect.getOwnMetadata(INJECTION_TOKENS, cls) ?? {}) as Record<string, unknown>;
  const count = Math.max(cls.length, types?.length ?? 0, ...Object.keys(tokens).map((k) => Number(k) + 1));
  const parameters: ParameterSource[] = [];
  for (let index = 0; index < count; index++) {
    const token = tokens[index];
    if (token !== undefined || index in tokens) parameters.push(tokenSource(token));
    else if (types) parameters.push({ kind: 'type', type: types[index] });
    else parameters.push({ kind: 'unknown' });
  }
  return { parameters, injectable: isInjectable(cls), hasMetadata: types !== undefined };
}

function tokenSource(entry: unknown): ParameterSource {
  if (typeof entry === 'object' && entry !== null && 'token' in entry) {
    const descriptor = entry as TokenDescriptor;
    // @injectAll and transforms resolve differently: left to tsyringe.
    const skip = descriptor.multiple === true || descriptor.transform !== undefined;
    return { kind: 'token', token: descriptor.token, optional: descriptor.isOptional === true, skip };
  }
  return { kind: 'token', token: entry, optional: false, skip: false };
}

type TypeInfoMap = Map<unknown, unknown>;
let typeInfo: TypeInfoMap | null | undefined;

/**
 * tsyringe keeps the classes `@injectable()` saw in a module-level map it does not export; the CommonJS
 * build is what Node loads for `tsyringe` (its package.json has `main` only), so reading that module
 * gives the same map. If a future version moves it, the checks fall back to "unknown".
 */
function isInjectable(cls: Class): boolean | undefined {
  if (typeInfo === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require('tsyringe/dist/cjs/dependency-container') as { typeInfo?: unknown };
      typeInfo = loaded.typeInfo instanceof Map ? (loaded.typeInfo as TypeInfoMap) : null;
    } catch {
      typeInfo = null;
    }
  }
  return typeInfo ? typeInfo.has(cls) : undefined;
}
