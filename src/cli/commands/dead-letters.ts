import { flattenModule } from '../../app/module';
import { loadConfig } from '../../app/config';
import { parseDuration } from '../../app/config-parsers';
import { openDeadLetterAccess, type DeadLetterAccess } from '../../dead-letters/cli-access';
import type { DeadLetterFilter } from '../../dead-letters/dead-letter-record';
import { deadLetterStoreKind } from '../../dead-letters/store-choice';
import { RouteMQError } from '../../errors';
import { formatDeadLetter, formatDeadLetterTable, formatStats } from '../dead-letter-format';
import { loadRootModule, resolveEntry } from '../entry';
import type { CliIo } from '../io';
import { existsSync } from 'node:fs';

/** Options shared by the `routemq dead-letters` subcommands. */
export interface DeadLetterCliOptions {
  route?: string;
  code?: string;
  since?: string;
  olderThan?: string;
  limit?: string;
  all?: boolean;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
  entry?: string;
}

type Action = (
  access: DeadLetterAccess,
  id: string | undefined,
  options: DeadLetterCliOptions,
  io: CliIo,
) => Promise<void>;

/**
 * Opens the store the app uses (its configuration, and its entry to know whether it declares entities),
 * runs the action, closes. Exported for tests, which run commands in-process.
 *
 * @example
 * ```ts
 * await runDeadLetters('list', undefined, { json: true }, io);
 * ```
 */
export async function runDeadLetters(
  action: DeadLetterAction,
  id: string | undefined,
  options: DeadLetterCliOptions,
  io: CliIo,
): Promise<void> {
  const config = loadConfig(io.env);
  const access = await openDeadLetterAccess(
    deadLetterStoreKind(config, await declaresEntities(options, io)),
    config,
  );
  try {
    await ACTIONS[action](access, id, options, io);
  } finally {
    await access.close();
  }
}

/** The `routemq dead-letters` subcommands. */
export type DeadLetterAction = 'list' | 'show' | 'replay' | 'delete' | 'stats';

const ACTIONS: Record<DeadLetterAction, Action> = {
  list: async (access, _id, options, io) => {
    const records = await access.deadLetters.list(filterOf(options, 50));
    io.out(
      options.json
        ? JSON.stringify(records, null, 2)
        : formatDeadLetterTable(records, access.store.description),
    );
  },
  show: async (access, id, options, io) => {
    const record = await access.deadLetters.get(requireId(id, 'show'));
    if (!record) throw notFound(id as string, access);
    io.out(options.json ? JSON.stringify(record, null, 2) : formatDeadLetter(record));
  },
  replay: async (access, id, options, io) => {
    const selection = id ?? (requireAll(options, 'replay'), filterOf(options));
    if (id !== undefined && !(await access.deadLetters.get(id))) throw notFound(id, access);
    const report = await access.deadLetters.replay(selection, {
      force: options.force,
      dryRun: options.dryRun,
      onProgress: (done, total) => {
        if (total > 1 && (done % 100 === 0 || done === total)) io.err(`replay: ${done}/${total}`);
      },
    });
    if (options.json) return io.out(JSON.stringify(report, null, 2));
    const verb = report.dryRun ? 'would replay' : 'replayed';
    io.out(`${verb} ${report.replayed.length}, skipped ${report.skipped.length}`);
    for (const skip of report.skipped) io.out(`  skipped ${skip.id}: ${skip.reason}`);
  },
  delete: async (access, id, options, io) => {
    let removed: number;
    if (id !== undefined) removed = await access.deadLetters.remove([id]);
    else if (options.olderThan !== undefined && !options.route && !options.code) {
      removed = await access.deadLetters.removeOlderThan(durationOf(options.olderThan, '--older-than'));
    } else {
      requireAll(options, 'delete');
      const records = await access.deadLetters.list(filterOf(options));
      removed = await access.deadLetters.remove(records.map((r) => r.id));
    }
    io.out(options.json ? JSON.stringify({ removed }) : `deleted ${removed}`);
  },
  stats: async (access, _id, options, io) => {
    const stats = await access.deadLetters.stats();
    io.out(options.json ? JSON.stringify(stats, null, 2) : formatStats(stats));
  },
};

function filterOf(options: DeadLetterCliOptions, defaultLimit?: number): DeadLetterFilter {
  const limit = options.limit !== undefined ? Number(options.limit) : defaultLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw usage(`--limit ${options.limit} is not a positive whole number`);
  }
  const now = Date.now();
  return {
    route: options.route,
    code: options.code,
    since: options.since !== undefined ? new Date(now - durationOf(options.since, '--since')) : undefined,
    before:
      options.olderThan !== undefined
        ? new Date(now - durationOf(options.olderThan, '--older-than'))
        : undefined,
    limit,
  };
}

function durationOf(text: string, flag: string): number {
  const parsed = parseDuration(text, 0);
  if ('problem' in parsed) throw usage(`${flag} ${parsed.problem}`);
  return parsed.value;
}

function requireId(id: string | undefined, command: string): string {
  if (id === undefined)
    throw usage(`${command} needs the id of a dead letter (see routemq dead-letters list)`);
  return id;
}

function requireAll(options: DeadLetterCliOptions, command: string): void {
  if (!options.all) {
    throw usage(`${command} needs an id, or --all (narrowed by --route, --code, --since, --older-than)`);
  }
}

function notFound(id: string, access: DeadLetterAccess): RouteMQError {
  return new RouteMQError('ERR_DEAD_LETTER_NOT_FOUND', `no dead letter ${id} in ${access.store.description}`);
}

function usage(message: string): RouteMQError {
  return new RouteMQError('ERR_CLI_USAGE', message);
}

/** Whether the app declares entities (then its dead letters are in its database), from its entry. */
async function declaresEntities(options: DeadLetterCliOptions, io: CliIo): Promise<boolean> {
  const entry = resolveEntry(options.entry, io.cwd);
  if (options.entry === undefined && !existsSync(entry)) return false;
  return flattenModule(await loadRootModule(entry)).entities.length > 0;
}
