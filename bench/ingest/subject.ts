/**
 * One ingest subject process: stores every reading the broker queued for its session, reports the
 * time and CPU it took (protocol.ts), then waits to be stopped.
 * @module
 */
import { runBare } from './bare-subjects';
import { Progress } from './progress';
import { readSubjectEnv } from './protocol';
import { runRouteMQ } from './routemq-subjects';
import { openStore } from './store';

async function main(): Promise<void> {
  const settings = readSubjectEnv(process.env);
  const connections = settings.subject === 'routemq-rows-16' ? 16 : 1;
  const store = openStore(settings.database, settings.target, connections);
  const progress = new Progress(settings.messages);
  if (settings.subject.startsWith('bare')) await runBare(settings, store, progress);
  else await runRouteMQ(settings, store, progress);
}

main().catch((error: unknown) => {
  console.error('ingest subject failed:', error);
  process.exit(1);
});
