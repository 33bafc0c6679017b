/**
 * Where a measured run's instructions went, by function (self cost), from its callgrind dump.
 * Native functions (V8's builtins, its JSON parser, its garbage collector, libuv) carry names; code
 * V8 compiled at run time does not, and is summed as one line.
 * @module
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ProfileLine {
  readonly name: string;
  readonly instructions: number;
  readonly share: number;
}

const JIT = 'JavaScript compiled by V8 (no symbols)';

/** The `count` functions with the most self instructions in `dump`. */
export async function topFunctions(dump: string, count: number): Promise<ProfileLine[]> {
  const { stdout } = await promisify(execFile)(
    'callgrind_annotate',
    ['--inclusive=no', '--threshold=100', dump],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const total = Number(/([\d,]+) \([\d.]+%\)\s+PROGRAM TOTALS/.exec(stdout)?.[1].replace(/,/g, '') ?? NaN);
  const sums = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.+)$/.exec(line);
    if (!match || match[2].includes('PROGRAM TOTALS')) continue;
    const name = nameOf(match[2]);
    sums.set(name, (sums.get(name) ?? 0) + Number(match[1].replace(/,/g, '')));
  }
  return [...sums.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, instructions]) => ({ name, instructions, share: instructions / total }));
}

/** `???:v8::internal::Foo::Bar(args) [/usr/bin/node]` -> `v8::internal::Foo::Bar`. */
function nameOf(entry: string): string {
  const symbol = entry.replace(/^[^:]*:/, '').replace(/ \[[^\]]*\]$/, '');
  if (/^0x[0-9a-f]+$/i.test(symbol)) return JIT;
  const withoutArgs = symbol.replace(/\(.*\)( const)?( \[clone [^\]]*\])?$/, '');
  return withoutArgs.length > 90 ? `${withoutArgs.slice(0, 87)}...` : withoutArgs;
}
