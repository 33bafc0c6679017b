import { join } from 'node:path';

/** The repository (this file runs from dist/bench/instructions/). */
export const ROOT = join(__dirname, '../../..');
/** The committed baseline of `--check`. */
export const BASELINE_PATH = join(ROOT, 'bench/instructions/baseline.json');
