/**
 * `npm run bench`: RouteMQ side by side with bare mqtt.js and the NestJS MQTT transport, in one run,
 * against a Mosquitto of its own; PASS/FAIL per target; results in bench/results/, docs/benchmarks.md.
 */
import { readPlan, USAGE, type Plan } from './lib/args';
import { startBroker, type Broker } from './lib/broker';
import { LoadGenerator } from './lib/load';
import { compare } from './scenarios/compare';
import { concurrencyScenario } from './scenarios/concurrency';
import { lookupScenario } from './scenarios/lookup';
import { describeMachine, type Machine } from './report/machine';
import type { BenchResults, Measurements } from './report/results';
import { summarize } from './report/summary';
import { judge } from './report/targets';
import {
  concurrencyTable,
  lookupTable,
  pacedTable,
  printTable,
  targetsTable,
  throughputTable,
} from './report/tables';
import { writeDocs, writeJson } from './report/write';

async function measureAll(plan: Plan, broker: Broker): Promise<Measurements> {
  const measurements: Measurements = {};
  const wants = (name: Plan['scenarios'][number]) => plan.scenarios.includes(name);
  if (wants('lookup')) {
    console.log('\nRoute lookup (10, 1,000, 100,000 routes)');
    measurements.lookup = await lookupScenario(plan.lookupBudgetMs);
  }
  const generator = await LoadGenerator.connect(broker.url);
  try {
    const common = {
      url: broker.url,
      rounds: plan.rounds,
      timing: plan.timing,
      profileDir: plan.profileDir,
      nodeOptions: plan.nodeOptions,
    };
    if (wants('throughput')) {
      const load = { kind: 'saturated', window: plan.saturationWindow } as const;
      console.log('\nSaturated throughput');
      const qos0 = await compare(generator, { ...common, name: 'QoS 0 saturated', qos: 0, load });
      const qos1 = await compare(generator, { ...common, name: 'QoS 1 saturated', qos: 1, load });
      measurements.throughput = { qos0, qos1 };
    }
    if (wants('paced')) {
      const load = { kind: 'paced', rate: plan.pacedRate } as const;
      console.log(`\nCPU per message and latency at ${plan.pacedRate.toLocaleString('en-US')} msg/s`);
      const qos0 = await compare(generator, { ...common, name: 'QoS 0 paced', qos: 0, load });
      const qos1 = await compare(generator, { ...common, name: 'QoS 1 paced', qos: 1, load });
      measurements.paced = { qos0, qos1 };
    }
    if (wants('concurrency')) {
      console.log('\nA 5 ms handler, concurrency 16 against 1');
      // A figure far from its target, and steady: three rounds are enough.
      measurements.concurrency = await concurrencyScenario(generator, broker.url, Math.min(plan.rounds, 3), {
        warmupMs: 500,
        windowMs: plan.timing.windowMs,
      });
    }
  } finally {
    await generator.close();
  }
  return measurements;
}

function printMachine(machine: Machine, plan: Plan): void {
  console.log(`RouteMQ benchmark${plan.quick ? ' (--quick)' : ''}: ${plan.scenarios.join(', ')}`);
  console.log(
    `  ${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}, ${machine.mosquitto}`,
  );
  console.log(
    `  load average ${machine.loadAtStart.toFixed(2)}; ${plan.rounds} rounds of ${plan.timing.windowMs} ms windows`,
  );
}

async function main(): Promise<void> {
  const plan = readPlan(process.argv.slice(2));
  if (plan === undefined) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const machine = describeMachine();
  printMachine(machine, plan);
  const broker = await startBroker();
  let measurements: Measurements;
  try {
    measurements = await measureAll(plan, broker);
  } finally {
    await broker.stop();
  }
  const summary = summarize(measurements);
  const targets = judge(summary, measurements);
  printTable(
    'Saturated throughput (median msg/s; ratios: median of same-round ratios)',
    throughputTable(summary),
  );
  printTable(`Paced at ${plan.pacedRate} msg/s: CPU and latency`, pacedTable(summary));
  printTable('Route lookup', lookupTable(measurements.lookup));
  printTable('Concurrency', concurrencyTable(summary));
  printTable('Targets', targetsTable(targets));
  const durationSeconds = (performance.now() - started) / 1000;
  const results: BenchResults = {
    date: new Date().toISOString(),
    durationSeconds,
    machine,
    plan,
    brokerConfig: broker.config.replace(/^listener \d+/m, 'listener <free port>'),
    measurements,
    summary,
    targets,
  };
  console.log(`\nresults: ${writeJson(results)}`);
  if (plan.writeDocs) console.log(`docs: ${await writeDocs(results)}`);
  console.log(`done in ${Math.round(durationSeconds)} s`);
  if (plan.check && targets.some((t) => t.verdict === 'FAIL')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
