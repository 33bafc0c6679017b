import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildAsyncApi } from '../asyncapi/document';
import { loadRootModule, resolveEntry } from '../entry';
import type { CliIo } from '../io';
import { inspectRoutes } from '../route-inspection';

/** Options of `routemq asyncapi`. */
export interface AsyncApiOptions {
  output?: string;
  title?: string;
  version?: string;
  module?: string;
}

/**
 * `routemq asyncapi [entry]`: writes the AsyncAPI 3.0 document of the route table (to stdout, or to
 * `--output`). Title and version default to the project's package.json.
 *
 * @example
 * ```ts
 * runAsyncApi('dist/main.js', { output: 'asyncapi.json' }, io);
 * ```
 */
export async function runAsyncApi(
  entry: string | undefined,
  options: AsyncApiOptions,
  io: CliIo,
): Promise<void> {
  const rootModule = await loadRootModule(resolveEntry(entry, io.cwd), options.module);
  const manifest = readManifest(io.cwd);
  const document = buildAsyncApi(inspectRoutes(rootModule, io.env), {
    title: options.title ?? manifest.name ?? rootModule.name,
    version: options.version ?? manifest.version ?? '0.0.0',
    description: manifest.description,
  });
  const text = JSON.stringify(document, null, 2);
  if (!options.output) {
    io.out(text);
    return;
  }
  writeFileSync(resolve(io.cwd, options.output), `${text}\n`);
  io.err(`wrote ${options.output}`);
}

function readManifest(cwd: string): { name?: string; version?: string; description?: string } {
  const file = resolve(cwd, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}
