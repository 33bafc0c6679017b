import type { MessageProperties, QoS } from '../transport/transport';
import { fingerprintOf, type DeadLetterFilter, type DeadLetterRecord } from './dead-letter-record';
import type { DeadLetterStore } from './dead-letter-store';

/** Publishes a replayed message to its original topic. */
export type ReplayPublish = (
  topic: string,
  payload: Buffer,
  options: { qos: QoS; properties?: MessageProperties },
) => Promise<void>;

/** Options of {@link DeadLetters.replay}. */
export interface ReplayOptions {
  /** Replay records replayed before (or whose message failed again after a replay). */
  readonly force?: boolean;
  /** Say what would be replayed; publish nothing. */
  readonly dryRun?: boolean;
  /** Called after each record (replayed or skipped), for progress output. */
  readonly onProgress?: (done: number, total: number, record: DeadLetterRecord) => void;
}

/** What a replay did. */
export interface ReplayReport {
  readonly replayed: string[];
  readonly skipped: { readonly id: string; readonly reason: string }[];
  readonly dryRun: boolean;
}

/** Counts of stored dead letters. */
export interface DeadLetterStats {
  readonly store: string;
  readonly total: number;
  readonly byRoute: Record<string, number>;
  readonly byCode: Record<string, number>;
  readonly replayed: number;
}

/**
 * The dead letters an app kept, and what operators do with them: list, show, replay, delete, stats.
 * Injectable in any controller or job (an admin route, a scheduled clean-up); `routemq dead-letters`
 * is the same service on the command line (docs/reliability.md "Dead letters").
 *
 * @example
 * ```ts
 * @Controller('admin')
 * class DeadLetterAdmin {
 *   constructor(private readonly deadLetters: DeadLetters) {}
 *   @Topic('dead-letters/replay')
 *   replay(@Payload() body: { route: string }) {
 *     return this.deadLetters.replay({ route: body.route });
 *   }
 * }
 * ```
 */
export class DeadLetters {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly publish: ReplayPublish,
  ) {}

  /** Where the records live (`table routemq_dead_letters in ...`). */
  get description(): string {
    return this.store.description;
  }

  /** Records matching the filter, newest first. */
  list(filter: DeadLetterFilter = {}): Promise<DeadLetterRecord[]> {
    return this.store.list(filter);
  }

  get(id: string): Promise<DeadLetterRecord | undefined> {
    return this.store.get(id);
  }

  /**
   * Publishes each selected record's original topic, payload and MQTT 5 properties again, then marks it
   * replayed. A record replayed before, or whose message already failed again after a replay, is skipped
   * unless `force` (so a replay can never loop); so is one whose payload was not kept (too large).
   */
  async replay(selection: string | DeadLetterFilter, options: ReplayOptions = {}): Promise<ReplayReport> {
    const records = await this.#select(selection);
    const replayedBefore = await this.#replayedFingerprints(records);
    const report: ReplayReport = { replayed: [], skipped: [], dryRun: options.dryRun ?? false };
    for (const [index, record] of records.entries()) {
      const reason = options.force ? undefined : refusal(record, replayedBefore);
      const missing = payloadOf(record) === undefined ? 'its payload was not kept (too large)' : undefined;
      if (reason ?? missing) {
        report.skipped.push({ id: record.id, reason: (reason ?? missing) as string });
      } else {
        if (!options.dryRun) await this.#replayOne(record);
        report.replayed.push(record.id);
      }
      options.onProgress?.(index + 1, records.length, record);
    }
    return report;
  }

  /** Deletes the records; resolves with how many existed. */
  remove(ids: readonly string[]): Promise<number> {
    return this.store.remove(ids);
  }

  /** Deletes the records that failed more than `ageMs` ago. */
  removeOlderThan(ageMs: number): Promise<number> {
    return this.store.purgeBefore(new Date(Date.now() - ageMs));
  }

  async stats(): Promise<DeadLetterStats> {
    const records = await this.store.list();
    const byRoute: Record<string, number> = {};
    const byCode: Record<string, number> = {};
    for (const record of records) {
      byRoute[record.route] = (byRoute[record.route] ?? 0) + 1;
      const code = record.error.code ?? record.error.name;
      byCode[code] = (byCode[code] ?? 0) + 1;
    }
    const replayed = records.filter((r) => r.replayCount > 0).length;
    return { store: this.store.description, total: records.length, byRoute, byCode, replayed };
  }

  async #select(selection: string | DeadLetterFilter): Promise<DeadLetterRecord[]> {
    if (typeof selection !== 'string') return (await this.store.list(selection)).reverse();
    const record = await this.store.get(selection);
    return record ? [record] : [];
  }

  /** Fingerprints of messages already replayed, so that their new failures are not replayed again. */
  async #replayedFingerprints(selected: readonly DeadLetterRecord[]): Promise<Map<string, string>> {
    const routes = new Set(selected.map((r) => r.route));
    const replayed = new Map<string, string>();
    for (const route of routes) {
      for (const record of await this.store.list({ route })) {
        if (record.replayCount > 0) replayed.set(fingerprintOf(record), record.id);
      }
    }
    return replayed;
  }

  async #replayOne(record: DeadLetterRecord): Promise<void> {
    const props = record.properties;
    const properties: MessageProperties | undefined = props && {
      ...(props.userProperties && { userProperties: { ...props.userProperties } }),
      ...(props.contentType !== undefined && { contentType: props.contentType }),
      ...(props.responseTopic !== undefined && { responseTopic: props.responseTopic }),
      ...(props.correlationData !== undefined && {
        correlationData: Buffer.from(props.correlationData, 'base64'),
      }),
      ...(props.payloadFormatIndicator !== undefined && {
        payloadFormatIndicator: props.payloadFormatIndicator,
      }),
    };
    // At least QoS 1: the broker confirms the replay before the record is marked replayed.
    const qos = (record.qos >= 1 && record.qos <= 2 ? record.qos : 1) as QoS;
    await this.publish(record.topic, payloadOf(record) as Buffer, { qos, properties });
    await this.store.markReplayed(record.id, new Date());
  }
}

function refusal(record: DeadLetterRecord, replayedBefore: Map<string, string>): string | undefined {
  if (record.replayCount > 0)
    return `replayed already (${record.replayedAt ?? 'earlier'}); use --force to replay again`;
  const earlier = replayedBefore.get(fingerprintOf(record));
  if (earlier !== undefined && earlier !== record.id) {
    return `this message was replayed before (record ${earlier}) and failed again; fix the cause, then use --force`;
  }
  return undefined;
}

function payloadOf(record: DeadLetterRecord): Buffer | undefined {
  if (typeof record.payload !== 'string') return undefined;
  return Buffer.from(record.payload, record.payloadEncoding === 'base64' ? 'base64' : 'utf8');
}
