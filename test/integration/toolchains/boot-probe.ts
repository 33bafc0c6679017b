// Boots a fixture app under the toolchain that runs this file and prints what happened, as one JSON
// line: the boot error code, or whether an invalid payload was refused and a valid one handled.
import 'reflect-metadata';
import { createTestApp } from 'routemq/testing';

async function main(): Promise<void> {
  const file = process.argv[2] ?? '';
  const exported = (await import(file)) as { AppModule?: unknown; default?: { AppModule?: unknown } };
  const AppModule = exported.AppModule ?? exported.default?.AppModule;
  let app;
  try {
    app = await createTestApp(AppModule as never);
  } catch (error) {
    console.log(JSON.stringify({ booted: false, code: (error as { code?: string }).code }));
    return;
  }
  const bad = await app.dispatch('sensors/d1/data', { temperature: 'hot', extra: 1 });
  const good = await app.dispatch('sensors/d1/data', { temperature: 21 });
  await app.close();
  const code = (bad.error as { code?: string } | undefined)?.code;
  console.log(JSON.stringify({ booted: true, refused: code, handled: good.result === true }));
}

void main();
