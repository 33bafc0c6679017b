/**
 * docs/benchmarks.md: written by every full run. The prose is here; the figures, tables and charts
 * come from the run.
 * @module
 */
import { HANDLER_MS, CONCURRENCY } from '../scenarios/concurrency';
import { RECEIVE_MAXIMUM } from '../lib/protocol';
import type { BenchResults } from './results';
import {
  concurrencyTable,
  lookupTable,
  markdownTable,
  pacedTable,
  targetsTable,
  throughputTable,
} from './tables';
import { LIMITS, METHOD, RUNNING } from './prose';
import { instructionSection } from '../instructions/docs-section';

/** Relative paths (from docs/) of the charts, by name. */
export const CHARTS = {
  throughput: 'benchmarks/throughput.svg',
  cpu: 'benchmarks/cpu.svg',
  lookup: 'benchmarks/lookup.svg',
} as const;

export function benchmarksMarkdown(results: BenchResults): string {
  const { machine, plan, summary } = results;
  const failed = results.targets.filter((t) => t.verdict === 'FAIL');
  return `# Benchmarks

RouteMQ side by side with a bare mqtt.js subscriber and the NestJS MQTT transport, measured in one run
of \`npm run bench\` (${results.date.slice(0, 10)}, ${Math.round(results.durationSeconds)} s). Absolute
numbers on a shared machine are noise; the ratios within one run are what the targets judge. Every
full run rewrites this page: edit its text in \`bench/report/\`, not here.

## Machine and versions

| Item | Value |
| --- | --- |
| CPU | ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB |
| OS | ${machine.os} |
| Node.js | ${machine.node} |
| Broker | ${machine.mosquitto}, its own process on a free port (configuration below) |
| Packages | ${Object.entries(machine.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')} |
| Commit | ${machine.commit} |
| Load average at start | ${machine.loadAtStart.toFixed(2)} (other work on the machine shows here) |
| Plan | ${plan.rounds} rounds; per implementation and round ${plan.timing.warmupMs} ms warm-up, then a ${plan.timing.windowMs} ms window |

## Targets

${markdownTable(targetsTable(results.targets))}

${failed.length === 0 ? 'Every target passed in this run.' : `Missed in this run: ${failed.map((t) => t.name).join('; ')}. See [what limits the figures](#what-limits-the-figures).`}

${instructionSection()}

## Throughput, saturated

Each implementation handles as many messages as it can, with a window of
${plan.saturationWindow.toLocaleString('en-US')} messages published and not yet handled (the load
generator refills it from the subscriber's progress reports).

![Saturated throughput per implementation](${CHARTS.throughput})

${markdownTable(throughputTable(summary))}

## CPU per message and latency, paced at ${plan.pacedRate.toLocaleString('en-US')} msg/s

Subscriber process CPU (\`process.cpuUsage()\`, user + system) divided by the messages it handled,
and the time from publish to handler, below saturation for every implementation. The DTO target is
judged at QoS 0, the stricter case (at QoS 1 the bare subscriber pays for its PUBACKs too); the latency
targets at both QoS levels.

![CPU per message per implementation](${CHARTS.cpu})

${markdownTable(pacedTable(summary))}

## Route lookup and memory per route

\`RouteTable.match\` (what the dispatcher calls per message: split, trie walk, parameter capture) against
NestJS's MQTT handler lookup, for routes \`r<i>/{device_id}/data\` with 10 % of the topics missing.

![Lookup cost against route count](${CHARTS.lookup})

${markdownTable(lookupTable(results.measurements.lookup))}

## Concurrency: a ${HANDLER_MS} ms handler

A QoS 1 route whose handler awaits ${HANDLER_MS} ms, in one process, with
\`concurrency: ${CONCURRENCY}\` and with the default (1, arrival order). Acknowledgements still go out
in arrival order, each after its handler finished.

${markdownTable(concurrencyTable(summary))}

${METHOD(results.brokerConfig, RECEIVE_MAXIMUM)}

${LIMITS}

${RUNNING}
`;
}
