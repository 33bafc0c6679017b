/**
 * Runs the lookup benchmark in a fresh process with --expose-gc (lookup/lookup-child.ts).
 * @module
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LookupFigures, LookupRequest } from '../lookup/lookup-types';

export const ROUTE_COUNTS = [10, 1000, 100_000] as const;

export function lookupScenario(budgetMs: number): Promise<LookupFigures[]> {
  const child = fork(join(__dirname, '../lookup/lookup-child.js'), [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const request: LookupRequest = { sizes: ROUTE_COUNTS, budgetMs };
  return new Promise((resolve, reject) => {
    child.once('message', (figures: LookupFigures[]) => resolve(figures));
    child.once('exit', (code) =>
      reject(new Error(`the lookup process exited (code ${code}) without figures`)),
    );
    child.send(request);
  });
}
