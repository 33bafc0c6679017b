/**
 * Prints the functions with the most self time in a V8 `.cpuprofile` (from `--profile DIR`), to find
 * what to fix on the hot path: `node dist/bench/tools/profile-top.js DIR/routemq-*.cpuprofile [N]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

function main(): void {
  const [path, count = '30'] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: profile-top <file.cpuprofile> [N]');
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const file = frame.url.replace(/^.*\/(node_modules|dist)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
  for (const [key, samples] of top)
    console.log(`${((100 * samples) / total).toFixed(1).padStart(5)} %  ${key}`);
}

main();
