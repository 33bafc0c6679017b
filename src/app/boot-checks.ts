import type { DependencyContainer } from 'tsyringe';
import { ConfigError } from '../errors';
import type { BootContext } from '../integrations/missing-integration-hint';
import type { RouteDefinition } from '../metadata/route-definition';
import { parameterLabel } from '../metadata/parameter-names';
import type { Class } from '../metadata/types';
import { checkDependencies, type DependencyRoot } from './dependency-check';
import type { Provider } from './module';

/**
 * The cause and both fixes, printed once above the list of places (docs/toolchains.md). Without
 * `emitDecoratorMetadata` a DTO parameter would silently skip validation and an injected service be
 * `undefined`: refusing to boot is the only safe answer.
 */
const METADATA_HEADING =
  'Decorator metadata is missing: this code was compiled without emitDecoratorMetadata (tsx or esbuild, ' +
  'vitest < 4, Bun, or SWC without jsc.transform.decoratorMetadata), so the types below are unknown and ' +
  'DTOs would not be validated. Fix either way: compile with tsc (or enable emitDecoratorMetadata, ' +
  "SWC's decoratorMetadata: true), or give every type explicitly: @Payload(ReadingDto) (@Payload(Object) " +
  'for plain JSON) and @inject(Token) on each constructor parameter, with @injectable() on the class. ' +
  'See docs/toolchains.md. Places';

/**
 * Checks, before anything is constructed, every `@Payload()` type and every constructor the app will
 * build. Throws ERR_DECORATOR_METADATA_MISSING listing every place that needs metadata it does not
 * have, else ERR_DEPENDENCY_UNRESOLVED listing every dependency that cannot be resolved.
 *
 * @example
 * ```ts
 * checkBoot(definitions, [...flat.providers, ...providers], container, 'app');
 * ```
 */
export function checkBoot(
  definitions: readonly RouteDefinition[],
  providers: readonly Provider[],
  container: DependencyContainer,
  context: BootContext,
  jobs: readonly Class[] = [],
): void {
  const roots = [
    ...rootsOf(definitions, providers),
    ...jobs.map((cls) => ({ cls, usedBy: `job ${cls.name}` })),
  ];
  const report = checkDependencies(container, roots, context);
  const missing = [...payloadPlaces(definitions), ...report.metadataMissing];
  if (missing.length > 0) {
    throw new ConfigError('ERR_DECORATOR_METADATA_MISSING', [...new Set(missing)], METADATA_HEADING);
  }
  if (report.problems.length > 0) {
    throw new ConfigError('ERR_DEPENDENCY_UNRESOLVED', [...new Set(report.problems)], 'Cannot build the app');
  }
}

function payloadPlaces(definitions: readonly RouteDefinition[]): string[] {
  const places: string[] = [];
  for (const route of definitions) {
    const method = (route.controller.prototype as Record<string, unknown>)[route.method];
    for (const param of route.params) {
      if (param.kind !== 'payload' || !param.typeUnknown) continue;
      places.push(
        `${route.handlerName} parameter ${parameterLabel(method, param.index)} @Payload(): its type is ` +
          'unknown. Write @Payload(YourDto) to validate, or @Payload(Object) for the decoded payload.',
      );
    }
  }
  return places;
}

function rootsOf(definitions: readonly RouteDefinition[], providers: readonly Provider[]): DependencyRoot[] {
  const roots: DependencyRoot[] = [];
  for (const route of definitions) {
    roots.push({ cls: route.controller, usedBy: route.handlerName });
    for (const middleware of route.middleware) {
      roots.push({ cls: middleware as unknown as Class, usedBy: `middleware of ${route.handlerName}` });
    }
  }
  providers.forEach((provider, index) => {
    const cls =
      typeof provider === 'function' ? provider : 'useClass' in provider ? provider.useClass : undefined;
    if (typeof cls === 'function') roots.push({ cls, usedBy: `providers[${index}]` });
  });
  return roots;
}
