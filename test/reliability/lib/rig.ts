/**
 * One scenario's equipment: its own broker, the oracle under a fresh key, the app process, the load
 * generator and (optionally) a dead-letter collector; closed in reverse order.
 * @module
 */
import { AppProcess } from './app-process';
import { startBroker, type Broker } from './broker';
import { join } from 'node:path';
import { DeadLetterCollector, storedDeadLetters, type DeadLetterBody } from './dead-letters';
import { startFlowControlProxy, type FlowControlProxy } from './flow-control-proxy';
import { LoadGenerator } from './load-generator';
import { Oracle } from './oracle';
import type { ScenarioContext } from './scenario';

export interface RigOptions {
  /** Fixture file in fixtures/ (without .js). */
  readonly fixture: string;
  /** Extra environment of the app (framework variables and fixture settings). */
  readonly env?: Readonly<Record<string, string>>;
  /** Default true: the persistent broker config; false for throughput runs (broker.ts says why). */
  readonly persistence?: boolean;
  /** Collect dead letters from their topic, and keep them in a file store of the run (DATA_DIR). */
  readonly deadLetters?: boolean;
  /** The ready log message of a fixture that is not a RouteMQ app. */
  readonly readyMessage?: RegExp;
  /** Connect the app through a proxy that enforces this receive maximum (flow-control-proxy.ts). */
  readonly enforcedWindow?: number;
}

export class Rig {
  private constructor(
    readonly name: string,
    readonly broker: Broker,
    readonly oracle: Oracle,
    readonly app: AppProcess,
    readonly load: LoadGenerator,
    readonly deadLetters: DeadLetterCollector | undefined,
    private readonly proxy: FlowControlProxy | undefined,
    private readonly dataDir: string,
  ) {}

  /** The dead letters the app kept in its store (what an operator would list and replay). */
  storedDeadLetters(): Promise<DeadLetterBody[]> {
    return storedDeadLetters(this.dataDir);
  }

  /** Starts the broker, the collectors and the app (which creates its session), then the load generator. */
  static async open(ctx: ScenarioContext, name: string, options: RigOptions): Promise<Rig> {
    // What was started so far, undone in reverse if a later step fails (no broker left running).
    const undo: Array<() => Promise<void>> = [];
    try {
      const broker = await startBroker({ persistence: options.persistence });
      undo.push(() => broker.stop());
      const id = `${ctx.runId}-${name}`;
      const oracle = new Oracle(ctx.redisUrl, `routemq:reliability:${id}`);
      undo.push(() => oracle.clear().finally(() => oracle.close()));
      const deadLetters = options.deadLetters
        ? await DeadLetterCollector.connect(broker.url, `${id}-dead-letters`)
        : undefined;
      if (deadLetters) undo.push(() => deadLetters.close());
      const proxy = options.enforcedWindow
        ? await startFlowControlProxy(broker.port, options.enforcedWindow)
        : undefined;
      if (proxy) undo.push(() => proxy.close());
      const dataDir = join(ctx.workDir, `${id}-data`);
      const app = new AppProcess(
        options.fixture,
        appEnv(ctx, id, proxy?.url ?? broker.url, oracle, options, dataDir),
        ctx.workDir,
        options.readyMessage,
      );
      undo.push(() => app.dispose());
      await app.start();
      const load = await LoadGenerator.connect(broker.url, `${id}-load`);
      return new Rig(name, broker, oracle, app, load, deadLetters, proxy, dataDir);
    } catch (error) {
      for (const step of undo.reverse()) await step().catch(() => undefined);
      throw error;
    }
  }

  /** Stops the app gracefully (its last log line carries `app.stats`); returns those stats. */
  async stopApp(): Promise<Record<string, number> | undefined> {
    if (!this.app.running) return undefined;
    await this.app.kill('SIGTERM');
    const stopped = this.app.linesMatching(/^stopped$/).at(-1);
    return stopped?.stats as Record<string, number> | undefined;
  }

  async close(): Promise<void> {
    await this.app.dispose();
    await this.load.close();
    await this.deadLetters?.close();
    await this.oracle.clear();
    await this.oracle.close();
    await this.proxy?.close();
    await this.broker.stop();
  }
}

/** The app's environment: the broker, a persistent session, the oracle, then the scenario's own. */
function appEnv(
  ctx: ScenarioContext,
  id: string,
  brokerUrl: string,
  oracle: Oracle,
  options: RigOptions,
  dataDir: string,
) {
  return {
    MQTT_BROKER: brokerUrl,
    DATA_DIR: dataDir,
    DEAD_LETTER_STORE: 'file',
    MQTT_CLIENT_ID: `${id}-app`,
    LOG_LEVEL: 'info',
    RELIABILITY_REDIS_URL: ctx.redisUrl,
    RELIABILITY_RUN_KEY: oracle.key,
    ...options.env,
  };
}

/** Messages `{ "id": "<prefix>-<n>" }` to `<topicPrefix>/<n>`. */
export function numbered(topicPrefix: string, idPrefix: string, count: number, extra: object = {}) {
  return Array.from({ length: count }, (_, n) => ({
    topic: `${topicPrefix}/${n}`,
    id: `${idPrefix}-${n}`,
    payload: JSON.stringify({ id: `${idPrefix}-${n}`, ...extra }),
  }));
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
