/**
 * The parameter names of a compiled function or class constructor, read from its source text, so boot
 * errors can say `constructor parameter 1 (redis)` rather than a bare position. Best effort: a name
 * that cannot be read (destructuring, minified code) is left empty and the message keeps the position.
 *
 * @example
 * ```ts
 * parameterNames(class { constructor(publisher, redis) {} }); // ['publisher', 'redis']
 * parameterNames(function data(id, reading) {}); // ['id', 'reading']
 * ```
 */
export function parameterNames(fn: unknown, constructor = false): string[] {
  if (typeof fn !== 'function') return [];
  const source = Function.prototype.toString.call(fn);
  const start = constructor ? constructorStart(source) : source.indexOf('(');
  if (start < 0) return [];
  const list = balancedList(source, start);
  return splitTopLevel(list).map((part) => /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(part)?.[1] ?? '');
}

/** Describes parameter `index` of `fn` for a message: `1 (redis)` or `1`. */
export function parameterLabel(fn: unknown, index: number, constructor = false): string {
  const name = parameterNames(fn, constructor)[index];
  return name ? `${index} (${name})` : String(index);
}

function constructorStart(source: string): number {
  const match = /\bconstructor\s*\(/.exec(source);
  return match ? match.index + match[0].length - 1 : -1;
}

/** The text between the parenthesis at `open` and its match. */
function balancedList(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (depth === 0) return source.slice(open + 1, i);
  }
  return '';
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(from, i));
      from = i + 1;
    }
  }
  if (list.trim()) parts.push(list.slice(from));
  return parts;
}
