import type { AppConfig } from '../app/config';
import { loadConfig } from '../app/config';
import { subscriptionTopicOf } from '../app/build-route-table';
import { flattenModule } from '../app/module';
import { defineJobs } from '../jobs/job-definition';
import { describeJobs, type JobDescription } from '../jobs/job-description';
import { describeRoutes, type RouteDescription } from '../app/route-description';
import type { RouteDefinition } from '../metadata/route-definition';
import type { Class } from '../metadata/types';
import { scanModuleRoutes } from '../app/scan-module';
import { findOverlaps, type RouteOverlap } from './overlaps';

/** What the CLI knows of an app without building it: configuration, routes, overlaps. */
export interface RouteInspection {
  readonly config: AppConfig;
  readonly definitions: readonly RouteDefinition[];
  readonly routes: readonly RouteDescription[];
  /** Whether the configured broker has shared subscriptions (the embedded aedes broker has none). */
  readonly sharedSubscriptions: boolean;
  readonly overlaps: readonly RouteOverlap[];
  /** The background jobs of the modules and their queues. */
  readonly jobs: readonly JobDescription[];
}

/**
 * Scans a root module the way createApp does (same configuration, same scanner) without resolving any
 * class or opening any connection: safe to run against an app whose Redis or database is not there.
 *
 * @example
 * ```ts
 * const { routes, overlaps } = inspectRoutes(AppModule, process.env);
 * ```
 */
export function inspectRoutes(
  rootModule: Class,
  env: Readonly<Record<string, string | undefined>>,
): RouteInspection {
  const config = loadConfig(env);
  const flat = flattenModule(rootModule);
  const definitions = scanModuleRoutes(flat, [], {
    defaultGroup: config.groupName,
    defaultWorkers: config.workerCount,
  });
  // MQTT_BROKER unset means the embedded aedes broker, which has no shared subscriptions.
  const sharedSubscriptions = config.broker !== undefined;
  const routes = describeRoutes(definitions, (d) =>
    subscriptionTopicOf(d, config.sharePrefix, sharedSubscriptions),
  );
  const overlaps = findOverlaps(definitions);
  return {
    config,
    definitions,
    routes,
    sharedSubscriptions,
    overlaps,
    jobs: describeJobs(defineJobs(flat.jobs)),
  };
}
