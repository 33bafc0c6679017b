// vitest 4 run by toolchains.spec.ts: the fixture apps, compiled by vitest's own transform.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['**/*.vitest.ts'], pool: 'forks', maxWorkers: 1, watch: false },
});
