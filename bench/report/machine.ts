/**
 * The machine and the versions a run measured, for the top of docs/benchmarks.md.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { mosquittoVersion } from '../lib/broker';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly mosquitto: string;
  /** Version of each package the subjects run. */
  readonly packages: Readonly<Record<string, string>>;
  /** The commit measured (`+ changes` when the working tree differs from it). */
  readonly commit: string;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  readonly loadAtStart: number;
}

export const ROOT = join(__dirname, '../../..');

const PACKAGES = [
  'mqtt',
  'class-validator',
  'class-transformer',
  '@nestjs/core',
  '@nestjs/microservices',
  'rxjs',
  'typescript',
];

export function describeMachine(): Machine {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osName()}, Linux ${release()}`,
    node: process.version,
    mosquitto: mosquittoVersion(),
    packages: {
      routemq: versionOf(ROOT),
      ...Object.fromEntries(PACKAGES.map((p) => [p, versionOf(join(ROOT, 'node_modules', p))])),
    },
    commit: commit(),
    loadAtStart: loadavg()[0],
  };
}

function versionOf(dir: string): string {
  const path = join(dir, 'package.json');
  if (!existsSync(path)) return 'not installed';
  return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'Linux';
  } catch {
    return process.platform;
  }
}

function commit(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return `${head.stdout.trim()}${status.stdout.trim() === '' ? '' : ' + changes'}`;
}
