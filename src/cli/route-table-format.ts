import { formatColumns } from './text-table';
import { formatBatch, type RouteDescription } from '../app/route-description';
import { formatJobTable } from '../jobs/job-description';
import type { RouteInspection } from './route-inspection';
import type { RouteOverlap } from './overlaps';

const HEADERS = [
  'TEMPLATE',
  'SUBSCRIPTION',
  'QOS',
  'SHARED',
  'WORKERS',
  'BATCH',
  'MIDDLEWARE',
  'HANDLER',
] as const;

/**
 * The route table as `routemq routes` prints it: one row per route, then conflicts and overlaps.
 *
 * @example
 * ```ts
 * console.log(formatRouteTable(inspectRoutes(AppModule, process.env)));
 * ```
 */
export function formatRouteTable(inspection: RouteInspection): string {
  const rows = inspection.routes.map(rowOf);
  const out = formatColumns(HEADERS, rows);
  const replies = inspection.routes.filter((r) => r.reply);
  if (replies.length > 0) {
    out.push('', 'Replies (when the request has no MQTT 5 response topic):');
    for (const r of replies) out.push(`  ${r.handler} -> ${r.reply}`);
  }
  if (!inspection.sharedSubscriptions && inspection.routes.some((r) => r.shared)) {
    out.push(
      '',
      'MQTT_BROKER is unset: the embedded broker has no shared subscriptions, so shared routes subscribe their bare filter.',
    );
  }
  out.push('', ...formatOverlaps(inspection.overlaps));
  out.push(...formatJobTable(inspection.jobs));
  return out.join('\n');
}

function rowOf(route: RouteDescription): string[] {
  return [
    route.template,
    route.subscription,
    String(route.qos),
    route.shared ? (route.group ?? '$queue') : '-',
    String(route.workers),
    route.batch ? formatBatch(route.batch).replace(/^batch /, '') : '-',
    route.middleware.length > 0 ? route.middleware.join(' > ') : '-',
    route.handler,
  ];
}

function formatOverlaps(overlaps: readonly RouteOverlap[]): string[] {
  if (overlaps.length === 0) return ['No conflicts or overlaps.'];
  const conflicts = overlaps.filter((o) => o.kind === 'conflict').length;
  const heading = `${conflicts} conflict(s), ${overlaps.length - conflicts} overlap(s) (a topic matching several routes runs each once):`;
  return [
    heading,
    ...overlaps.map((o) => {
      const what =
        o.kind === 'conflict'
          ? `conflict: ${o.routes[0]} and ${o.routes[1]} share the filter ${o.filters[0]}; every message runs both`
          : `overlap: ${o.routes[0]} (${o.filters[0]}) and ${o.routes[1]} (${o.filters[1]}) both run for a topic like ${o.example}`;
      return `  ${what}`;
    }),
  ];
}
