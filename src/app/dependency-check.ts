import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { injectionInfoOf, type ParameterSource } from '../container/injection-info';
import { parameterLabel } from '../metadata/parameter-names';
import type { Class } from '../metadata/types';
import { missingIntegrationHint, type BootContext } from '../integrations/missing-integration-hint';
import { describeToken } from './providers';

/** A class the app builds at boot, and what needs it (for messages). */
export interface DependencyRoot {
  readonly cls: Class;
  readonly usedBy: string;
}

/** What the walk found: places without decorator metadata, and every other unresolvable dependency. */
export interface DependencyReport {
  readonly metadataMissing: string[];
  readonly problems: string[];
}

// What TypeScript emits for a parameter whose type has no runtime value: an interface or type literal
// (Object), a type-only import of a class (Function), a primitive, a union. None is a usable token.
const NOT_A_TOKEN: ReadonlySet<unknown> = new Set<unknown>([
  Object,
  Function,
  String,
  Number,
  Boolean,
  Symbol,
  BigInt,
  Array,
  Promise,
]);

/**
 * Walks the constructors the app will build (controllers, middleware, providers, and the classes they
 * need) the way tsyringe will, and reports every parameter it could not fill, all at once, each with
 * the fix that works: `@injectable()`, an explicit `@inject(TOKEN)`, a provider, or a variable.
 *
 * @example
 * ```ts
 * const { metadataMissing, problems } = checkDependencies(container, [{ cls: SensorController, usedBy: 'SensorController.data' }]);
 * ```
 */
export function checkDependencies(
  container: DependencyContainer,
  roots: readonly DependencyRoot[],
  context: BootContext = 'app',
): DependencyReport {
  const report: DependencyReport = { metadataMissing: [], problems: [] };
  const seen = new Set<Class>();
  const visit = (cls: Class, usedBy: string, root: boolean): void => {
    if (seen.has(cls)) return;
    seen.add(cls);
    const info = injectionInfoOf(cls);
    if (info.parameters.length === 0) return;
    if (info.injectable === false) {
      report.problems.push(notInjectable(cls, usedBy, root));
      return;
    }
    info.parameters.forEach((source, index) => {
      const where = `${cls.name} (used by ${usedBy}) constructor parameter ${parameterLabel(cls, index, true)}`;
      const next = checkParameter(source, where, { container, report, context });
      if (next) visit(next, cls.name, false);
    });
  };
  for (const { cls, usedBy } of roots) visit(cls, usedBy, true);
  return report;
}

interface WalkState {
  readonly container: DependencyContainer;
  readonly report: DependencyReport;
  readonly context: BootContext;
}

/** Records what is wrong with one parameter; returns a class tsyringe would construct in place. */
function checkParameter(source: ParameterSource, where: string, state: WalkState): Class | undefined {
  const { report } = state;
  if (source.kind === 'unknown') {
    report.metadataMissing.push(`${where}: its type is unknown. Add @inject(TheClassOrToken) to it.`);
    return undefined;
  }
  if (source.kind === 'token' && source.skip) return undefined;
  const token = source.kind === 'token' ? source.token : source.type;
  if (token === undefined) {
    report.problems.push(
      `${where} is undefined at run time: a circular import (two files import each other) or a missing export. ` +
        'Break the cycle, or use @inject(delay(() => TheClass)) from tsyringe.',
    );
    return undefined;
  }
  if (source.kind === 'type' && NOT_A_TOKEN.has(token)) {
    report.problems.push(`${where} has no runtime token: ${noTokenReason(token)}`);
    return undefined;
  }
  if (state.container.isRegistered(token as InjectionToken<unknown>, true)) return undefined;
  if (typeof token === 'function') return token as Class;
  if (source.kind === 'token' && source.optional) return undefined;
  const hint = missingIntegrationHint(describeToken(token), state.context);
  report.problems.push(
    `${where} needs ${describeToken(token)}, which is not registered. Fix: ${
      hint ??
      `add a provider for it to a module: providers: [{ provide: ${describeToken(token)}, useValue: ... }]`
    }`,
  );
  return undefined;
}

function noTokenReason(type: unknown): string {
  const emitted = (type as { name?: string }).name ?? String(type);
  return (
    `TypeScript emitted '${emitted}' for its type, which is what an interface, a type literal, a union, ` +
    'a primitive or a type-only import (`import type { Redis }`) becomes. Inject it by token: ' +
    '@inject(REDIS) for ioredis, @inject(DATA_SOURCE) for TypeORM, @inject(YourToken) for your own ' +
    '(registered in providers), or import the class as a value (`import { Service }`).'
  );
}

function notInjectable(cls: Class, usedBy: string, root: boolean): string {
  const name = cls.name || 'an anonymous class';
  const integration = missingIntegrationHint(`TypeInfo not known for "${name}"`);
  if (integration) return `${usedBy} needs ${name}, which the container cannot build. Fix: ${integration}`;
  if (root) {
    return (
      `${name} (used by ${usedBy}) has constructor parameters but no @injectable(): the container does ` +
      `not know how to build it. Fix: add @injectable() (from tsyringe) above class ${name}.`
    );
  }
  return (
    `${usedBy} needs ${name}, which has constructor parameters but no @injectable(). Fix: if ${name} is ` +
    `your class, add @injectable() (from tsyringe) above it; if it comes from a library, register it: ` +
    `providers: [{ provide: ${name}, useFactory: () => new ${name}(...) }].`
  );
}
