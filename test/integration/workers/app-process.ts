import { startFixture, type FixtureProcess } from '../../utils/fixture-process';

/** The workers fixture app running as a supervisor process, with its output collected. */
export type AppProcess = FixtureProcess;

/** Starts `node dist/process-fixtures/workers-app.js` with the given environment. */
export function startWorkersApp(env: Record<string, string>): AppProcess {
  return startFixture('workers-app', env);
}
