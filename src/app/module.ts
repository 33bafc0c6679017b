import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ConfigError } from '../errors';
import type { Class } from '../metadata/types';
import type { MiddlewareClass } from '../pipeline/middleware';
import { callerSite } from '../metadata/call-site';
import { discover } from '../discovery/discover';
import type { Router } from '../router/router';

/** Registers `token` to build an instance of `useClass` (a singleton unless `singleton: false`). */
export interface ClassProvider<T = unknown> {
  token?: InjectionToken<T>;
  provide?: InjectionToken<T>;
  useClass: Class<T>;
  singleton?: boolean;
}
/** Registers `token` to a ready value. */
export interface ValueProvider<T = unknown> {
  token?: InjectionToken<T>;
  provide?: InjectionToken<T>;
  useValue: T;
}
/** Registers `token` to what the factory returns (called on every resolution, tsyringe semantics). */
export interface FactoryProvider<T = unknown> {
  token?: InjectionToken<T>;
  provide?: InjectionToken<T>;
  useFactory: (container: DependencyContainer) => T;
}

/**
 * A provider in a module: a class (registered as a singleton under itself) or a tsyringe-style
 * provider object naming its token with `token` (tsyringe) or `provide` (NestJS habit).
 */
export type Provider = Class | ClassProvider | ValueProvider | FactoryProvider;

/** What `@Module` takes. */
export interface ModuleOptions {
  controllers?: Class[];
  providers?: Provider[];
  imports?: Class[];
  /** Middleware run before the controller middleware of this module's controllers. */
  middleware?: MiddlewareClass[];
  /** TypeORM entity classes; declaring any gives the app a DataSource (docs/integrations.md). */
  entities?: Class[];
  /** TypeORM migrations (classes, or globs of compiled files) run by `app.start()`. */
  migrations?: Array<Class | string>;
  /** Routers whose routes join the app (the programmatic style; docs/routing.md#routers). */
  routers?: Router[];
  /**
   * Folders whose files are all loaded; their exported controllers, routers and modules join this
   * module. Relative to the file declaring the module, or absolute (docs/routing.md#discovery).
   */
  discover?: string[];
  /** Background job classes (`@Job`): dispatched with JobQueue, run by job workers (docs/jobs.md). */
  jobs?: Class[];
}

const modules = new WeakMap<object, ModuleOptions>();
/** The file that declared each module with `discover`: its folders are relative to it. */
const declaringFiles = new WeakMap<object, string>();

/**
 * Groups controllers, providers and middleware; `imports` pulls other modules in (their providers are
 * registered app-wide: modules group code, they do not hide providers from each other).
 *
 * @example
 * ```ts
 * @Module({ controllers: [SensorController], providers: [ReadingStore], imports: [DevicesModule] })
 * class AppModule {}
 * ```
 */
export function Module(options: ModuleOptions): ClassDecorator {
  const file = options.discover ? callerSite()?.file : undefined;
  return (target) => {
    modules.set(target, options);
    if (file) declaringFiles.set(target, file);
  };
}

/** True when `value` is a class decorated with `@Module` (the CLI looks for one in an entry's exports). */
export function isModuleClass(value: unknown): value is Class {
  return typeof value === 'function' && modules.has(value);
}

/** A controller with the middleware of the module that declared it. */
export interface ModuleController {
  readonly controller: Class;
  readonly moduleMiddleware: readonly MiddlewareClass[];
}

/** The module graph flattened: imports first, every module once. */
export interface FlatModule {
  readonly controllers: readonly ModuleController[];
  readonly providers: readonly Provider[];
  /** TypeORM entities and migrations of every module. */
  readonly entities: readonly Class[];
  readonly migrations: readonly (Class | string)[];
  /** `@Job` classes of every module. */
  readonly jobs: readonly Class[];
  /** Routers of every module, with the middleware of the module that declared them. */
  readonly routers: readonly {
    readonly router: Router;
    readonly moduleMiddleware: readonly MiddlewareClass[];
  }[];
}

/** Walks `root` and its imports depth-first; throws one ConfigError naming every bad entry. */
export function flattenModule(root: Class): FlatModule {
  const problems: string[] = [];
  const seen = new Set<object>();
  const controllers: ModuleController[] = [];
  const providers: Provider[] = [];
  const entities: Class[] = [];
  const migrations: (Class | string)[] = [];
  const jobs: Class[] = [];
  const routers: { router: Router; moduleMiddleware: readonly MiddlewareClass[] }[] = [];
  const visit = (moduleClass: unknown, path: string) => {
    if (typeof moduleClass !== 'function' || !modules.has(moduleClass)) {
      problems.push(
        `${path}: ${describe(moduleClass)} is not a @Module class. Decorate it with @Module({...}).`,
      );
      return;
    }
    if (seen.has(moduleClass)) return;
    seen.add(moduleClass);
    const options = modules.get(moduleClass) as ModuleOptions;
    (options.imports ?? []).forEach((imported, i) => visit(imported, `${moduleClass.name}.imports[${i}]`));
    const found = discoverFor(moduleClass as Class, options);
    problems.push(...found.problems.map((p) => `${moduleClass.name}: ${p}`));
    found.modules.forEach((m) => visit(m, `${moduleClass.name}.discover`));
    const middleware = options.middleware ?? [];
    for (const controller of [...(options.controllers ?? []), ...found.controllers])
      controllers.push({ controller, moduleMiddleware: middleware });
    for (const router of [...(options.routers ?? []), ...found.routers])
      if (!routers.some((r) => r.router === router)) routers.push({ router, moduleMiddleware: middleware });
    providers.push(...(options.providers ?? []));
    entities.push(...(options.entities ?? []));
    migrations.push(...(options.migrations ?? []));
    for (const job of options.jobs ?? []) if (!jobs.includes(job)) jobs.push(job);
  };
  visit(root, 'createApp');
  if (problems.length > 0) throw new ConfigError('ERR_MODULE_INVALID', problems, 'Invalid module graph');
  return { controllers, providers, entities, migrations, jobs, routers };
}

function discoverFor(moduleClass: Class, options: ModuleOptions): ReturnType<typeof discover> {
  if (!options.discover?.length) return { controllers: [], routers: [], modules: [], problems: [] };
  const file = declaringFiles.get(moduleClass) ?? `${process.cwd()}/index.js`;
  return discover(file, options.discover, isModuleClass);
}

function describe(value: unknown): string {
  if (typeof value === 'function') return value.name || 'an anonymous class';
  return value === undefined ? 'undefined (a circular import?)' : JSON.stringify(value);
}
