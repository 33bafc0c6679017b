/**
 * The suite's outputs: the final table on the console, `results/latest.json`, and the figures section
 * of docs/reliability.md (between its `results:begin` / `results:end` markers), both run through
 * Prettier so that `npm run lint` stays green after a run.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ScenarioResult } from './scenario';

/** Where and how the suite ran. */
export interface RunInfo {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly node: string;
  readonly cpus: string;
  readonly mosquitto: string;
  /** True when throughput targets fail the run (`--check`). */
  readonly strictTargets: boolean;
  readonly passed: boolean;
}

const BEGIN = '<!-- results:begin -->';
const END = '<!-- results:end -->';

/** PASS/FAIL of a scenario's correctness checks (an error counts as FAIL). */
export function verdict(result: ScenarioResult): 'PASS' | 'FAIL' {
  return !result.error && result.checks.every((c) => c.pass) ? 'PASS' : 'FAIL';
}

/** The table printed at the end of a run. */
export function consoleTable(results: readonly ScenarioResult[], info: RunInfo): string {
  const lines = [
    '',
    `== Results (${seconds(info.durationMs)}, ${info.cpus}, node ${info.node}, ${info.mosquitto})`,
  ];
  for (const r of results) {
    lines.push(`${verdict(r).padEnd(5)} ${r.title}  [${seconds(r.durationMs)}]`);
    lines.push(`      ${r.error ? `error: ${r.error}` : r.summary}`);
    for (const c of r.checks.filter((x) => !x.pass)) lines.push(`      FAILED ${c.name}: ${c.detail}`);
  }
  const targets = results.flatMap((r) => r.targets);
  if (targets.length > 0) {
    lines.push(
      '',
      `Targets (${info.strictTargets ? 'fail the run: --check' : 'reported; --check makes them fail the run'}):`,
    );
    for (const t of targets)
      lines.push(
        `${(t.pass ? 'PASS' : 'FAIL').padEnd(5)} ${t.name}: ${t.value} ${t.unit} (target ${t.threshold})`,
      );
  }
  lines.push('', info.passed ? 'RELIABILITY SUITE PASSED' : 'RELIABILITY SUITE FAILED');
  return lines.join('\n');
}

/** Writes the machine-readable results. */
export async function writeJson(
  path: string,
  results: readonly ScenarioResult[],
  info: RunInfo,
): Promise<void> {
  await writeFormatted(path, JSON.stringify({ ...info, scenarios: results }, null, 2));
}

/** Replaces the figures section of the reliability docs with this run's. */
export async function writeDocs(
  path: string,
  results: readonly ScenarioResult[],
  info: RunInfo,
): Promise<void> {
  const doc = await readFile(path, 'utf8');
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${path} has no ${BEGIN} ... ${END} section`);
  const section = [BEGIN, '', ...docsSection(results, info), '', END].join('\n');
  await writeFormatted(path, doc.slice(0, begin) + section + doc.slice(end + END.length));
}

function docsSection(results: readonly ScenarioResult[], info: RunInfo): string[] {
  const lines = [
    `Last full run: ${info.startedAt.slice(0, 10)}, ${info.cpus}, Node ${info.node}, ${info.mosquitto}; ` +
      `${seconds(info.durationMs)} in all. Correctness: **${info.passed ? 'PASS' : 'FAIL'}**; ${targetLine(results)}. ` +
      'Machine-readable: `test/reliability/results/latest.json`.',
    '',
    '| Scenario | Result | Figures |',
    '| --- | --- | --- |',
    ...results.map(
      (r) => `| ${cell(r.title)} | ${verdict(r)} | ${cell(r.error ? `error: ${r.error}` : r.summary)} |`,
    ),
  ];
  const targets = results.flatMap((r) => r.targets);
  if (targets.length > 0) {
    lines.push('', '| Target | Measured | Threshold | Result |', '| --- | --- | --- | --- |');
    for (const t of targets)
      lines.push(`| ${cell(t.name)} | ${t.value} ${t.unit} | ${t.threshold} | ${t.pass ? 'PASS' : 'FAIL'} |`);
  }
  return lines;
}

function targetLine(results: readonly ScenarioResult[]): string {
  const targets = results.flatMap((r) => r.targets);
  const passed = targets.filter((t) => t.pass).length;
  return `targets: ${passed} of ${targets.length} met${targets.length > passed ? ' (see below; they fail the run only with `--check`)' : ''}`;
}

async function writeFormatted(path: string, text: string): Promise<void> {
  await writeFile(path, await prettify(path, text));
}

/** Prettier when it is installed (a dev dependency); the raw text otherwise. */
async function prettify(path: string, text: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(text, { ...options, filepath: path });
  } catch {
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
