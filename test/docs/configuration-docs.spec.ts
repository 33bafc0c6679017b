import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigSection } from '../../src/app/config-field';
import { CONFIG_TABLE } from '../../src/app/config-table';
import { generatedRegion, renderSection } from './config-docs';

// docs/configuration.md lists every variable of the configuration table in generated tables. This
// test fails when they drift; `UPDATE_DOCS=1 npx jest test/docs/configuration-docs.spec.ts` rewrites them.
const DOC = join(__dirname, '../../docs/configuration.md');
const SECTIONS: readonly ConfigSection[] = [
  'general',
  'embedded',
  'integrations',
  'reliability',
  'operations',
  'jobs',
];

describe('docs/configuration.md', () => {
  it('lists every configuration variable as the configuration table declares it', () => {
    let doc = readFileSync(DOC, 'utf8');
    const drifted: string[] = [];
    for (const section of SECTIONS) {
      const expected = renderSection(section);
      const { before, body, after } = generatedRegion(doc, section);
      if (body === expected) continue;
      drifted.push(section);
      doc = `${before}\n\n${expected}\n\n${after}`;
    }
    if (drifted.length > 0 && process.env.UPDATE_DOCS === '1') writeFileSync(DOC, doc);
    else if (drifted.length > 0) {
      throw new Error(
        `docs/configuration.md is out of date (${drifted.join(', ')}): run ` +
          '`UPDATE_DOCS=1 npx jest test/docs/configuration-docs.spec.ts` and commit the result.',
      );
    }
  });

  it('names every variable exactly once', () => {
    const firstCells = readFileSync(DOC, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|')[1].trim());
    for (const field of Object.values(CONFIG_TABLE)) {
      expect(firstCells.filter((cell) => cell === `\`${field.variable}\``)).toHaveLength(1);
    }
  });
});
