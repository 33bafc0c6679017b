import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DeadLetter } from '../pipeline/dead-letter';
import {
  matchesFilter,
  newestFirst,
  type DeadLetterFilter,
  type DeadLetterRecord,
} from './dead-letter-record';
import type { DeadLetterStore } from './dead-letter-store';

const CURRENT = 'dead-letters.jsonl';
const ROTATED = /^dead-letters-\d+\.jsonl$/;

/** One line of the log: a new record, a replay of one, or its removal. */
type Event =
  | { readonly add: DeadLetterRecord }
  | { readonly replayed: string; readonly at: string }
  | { readonly removed: string };

/**
 * Dead letters as JSON lines under `DATA_DIR/dead-letters/` (the fresh-machine default). Appends are
 * synced to disk before `add` resolves; the file is rotated when it passes `maxBytes`, and replays and
 * removals are appended as events, folded when read. Retention rewrites the folder without the purged
 * records.
 *
 * @example
 * ```ts
 * const store = new FileDeadLetterStore('./data/dead-letters', 16 * 1024 * 1024);
 * const id = await store.add(letter);
 * ```
 */
export class FileDeadLetterStore implements DeadLetterStore {
  readonly kind = 'file';
  readonly description: string;
  readonly #folder: string;

  constructor(
    folder: string,
    private readonly maxBytes: number,
  ) {
    this.#folder = resolve(folder);
    this.description = `JSON-lines files in ${this.#folder}`;
  }

  async add(letter: DeadLetter): Promise<string> {
    const record: DeadLetterRecord = { ...letter, id: randomUUID(), replayCount: 0 };
    await this.#append({ add: record });
    return record.id;
  }

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetterRecord[]> {
    const records = [...(await this.#fold()).values()].filter((r) => matchesFilter(r, filter));
    return newestFirst(records, filter.limit);
  }

  async get(id: string): Promise<DeadLetterRecord | undefined> {
    return (await this.#fold()).get(id);
  }

  async markReplayed(id: string, at: Date): Promise<void> {
    await this.#append({ replayed: id, at: at.toISOString() });
  }

  async remove(ids: readonly string[]): Promise<number> {
    const records = await this.#fold();
    const present = ids.filter((id) => records.has(id));
    for (const id of present) await this.#append({ removed: id });
    return present.length;
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const records = await this.#fold();
    const kept = [...records.values()].filter((r) => Date.parse(r.failedAt) >= cutoff.getTime());
    const purged = records.size - kept.length;
    if (purged > 0) await this.#rewrite(kept);
    return purged;
  }

  async countByRoute(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const record of (await this.#fold()).values())
      counts[record.route] = (counts[record.route] ?? 0) + 1;
    return counts;
  }

  async close(): Promise<void> {}

  async #append(event: Event): Promise<void> {
    await mkdir(this.#folder, { recursive: true });
    const file = join(this.#folder, CURRENT);
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size >= this.maxBytes) await rename(file, join(this.#folder, `dead-letters-${Date.now()}.jsonl`));
    const handle = await open(file, 'a');
    try {
      // One write per line (O_APPEND), synced: the message is acknowledged only after this resolves.
      await handle.write(`${JSON.stringify(event)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** Every file, oldest first, folded into the records that exist now. */
  async #fold(): Promise<Map<string, DeadLetterRecord>> {
    const records = new Map<string, DeadLetterRecord>();
    for (const file of await this.#files()) {
      const text = await readFile(join(this.#folder, file), 'utf8').catch(() => '');
      for (const line of text.split('\n')) applyEvent(records, parseEvent(line));
    }
    return records;
  }

  async #files(): Promise<string[]> {
    const names = await readdir(this.#folder).catch(() => [] as string[]);
    const rotated = names.filter((n) => ROTATED.test(n)).sort(byRotationTime);
    return names.includes(CURRENT) ? [...rotated, CURRENT] : rotated;
  }

  async #rewrite(records: readonly DeadLetterRecord[]): Promise<void> {
    const old = await this.#files();
    const next = join(this.#folder, `${CURRENT}.next`);
    await writeFile(next, records.map((record) => `${JSON.stringify({ add: record })}\n`).join(''));
    for (const file of old) if (file !== CURRENT) await unlink(join(this.#folder, file));
    await rename(next, join(this.#folder, CURRENT));
  }
}

function byRotationTime(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''));
}

/** A line cut short by a crash, or edited by hand, is skipped, never fatal. */
function parseEvent(line: string): Event | undefined {
  if (line.trim() === '') return undefined;
  try {
    const event = JSON.parse(line) as unknown;
    return typeof event === 'object' && event !== null ? (event as Event) : undefined;
  } catch {
    return undefined;
  }
}

function applyEvent(records: Map<string, DeadLetterRecord>, event: Event | undefined): void {
  if (!event) return;
  if ('add' in event && typeof event.add?.id === 'string') {
    records.set(event.add.id, event.add);
  } else if ('replayed' in event) {
    const record = records.get(event.replayed);
    if (record) {
      records.set(record.id, { ...record, replayCount: record.replayCount + 1, replayedAt: event.at });
    }
  } else if ('removed' in event) {
    records.delete(event.removed);
  }
}
