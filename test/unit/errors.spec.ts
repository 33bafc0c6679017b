import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../src/errors';

describe('error catalog', () => {
  const doc = readFileSync(join(__dirname, '../../docs/errors.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^## (ERR_[A-Z_]+)/gm)].map((m) => m[1]));

  it('documents every error code in docs/errors.md', () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !documented.has(code));
    expect(missing).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    const stale = [...documented].filter((code) => !(code in ERROR_CODES));
    expect(stale).toEqual([]);
  });
});
