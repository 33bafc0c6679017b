import {
  extractParams,
  joinTemplate,
  parseTemplate,
  type CompiledTemplate,
  type TemplateLevel,
} from '../../../src/routing/topic-template';

function compile(template: string): CompiledTemplate {
  const result = parseTemplate(template);
  if (!result.ok) throw new Error(`expected ${template} to parse, got: ${result.errors.join('; ')}`);
  return result.compiled;
}

function errorsOf(template: string): string[] {
  const result = parseTemplate(template);
  if (result.ok) throw new Error(`expected ${template} to be rejected`);
  return result.errors;
}

describe('joinTemplate: one "/" between prefix and template, nothing trimmed (MQTT 5.0 section 4.7.3)', () => {
  it.each<[string | undefined, string, string]>([
    ['sensors', '{id}/data', 'sensors/{id}/data'],
    ['a/b', 'c/d', 'a/b/c/d'],
    ['sensors', '#', 'sensors/#'],
    ['sensors', '', 'sensors'],
    [undefined, 'a/b', 'a/b'],
    ['', 'a/b', 'a/b'],
    ['', '', ''],
    [undefined, '', ''],
    // A leading or trailing "/" is a distinct, empty level: kept as written.
    [undefined, '/#', '/#'],
    [undefined, '/a/', '/a/'],
    ['sensors/', '{id}', 'sensors//{id}'],
    ['sensors', '/{id}', 'sensors//{id}'],
    ['/sensors', 'x', '/sensors/x'],
    ['sensors', '/', 'sensors//'],
    ['/', 'x', '//x'],
  ])('joinTemplate(%p, %p) is %p', (prefix, template, joined) => {
    expect(joinTemplate(prefix, template)).toBe(joined);
  });
});

describe('parseTemplate: valid templates', () => {
  const L = (value: string): TemplateLevel => ({ kind: 'literal', value });
  const P = (name: string): TemplateLevel => ({ kind: 'param', name });
  const R = (name: string): TemplateLevel => ({ kind: 'rest', name });
  const single: TemplateLevel = { kind: 'single' };
  const multi: TemplateLevel = { kind: 'multi' };

  it.each<[string, string, string[], TemplateLevel[]]>([
    ['sensors', 'sensors', [], [L('sensors')]],
    ['sensors/data', 'sensors/data', [], [L('sensors'), L('data')]],
    ['sensors/{device_id}/data', 'sensors/+/data', ['device_id'], [L('sensors'), P('device_id'), L('data')]],
    ['{a}/{b}', '+/+', ['a', 'b'], [P('a'), P('b')]],
    ['files/{path*}', 'files/#', ['path'], [L('files'), R('path')]],
    ['{all*}', '#', ['all'], [R('all')]],
    ['+', '+', [], [single]],
    ['#', '#', [], [multi]],
    ['a/+/b', 'a/+/b', [], [L('a'), single, L('b')]],
    ['a/#', 'a/#', [], [L('a'), multi]],
    ['+/+', '+/+', [], [single, single]],
    ['+/#', '+/#', [], [single, multi]],
    ['a/{id}/+/#', 'a/+/+/#', ['id'], [L('a'), P('id'), single, multi]],
    ['+/{id}/{rest*}', '+/+/#', ['id', 'rest'], [single, P('id'), R('rest')]],
    ['$SYS/broker/load', '$SYS/broker/load', [], [L('$SYS'), L('broker'), L('load')]],
    ['$SYS/#', '$SYS/#', [], [L('$SYS'), multi]],
    ['$sharex/a', '$sharex/a', [], [L('$sharex'), L('a')]],
    ['a/$share/b', 'a/$share/b', [], [L('a'), L('$share'), L('b')]],
    ['_x/{_private}/{A9}', '_x/+/+', ['_private', 'A9'], [L('_x'), P('_private'), P('A9')]],
    ['{__proto__}/{constructor}', '+/+', ['__proto__', 'constructor'], [P('__proto__'), P('constructor')]],
    ['Sensors/Data', 'Sensors/Data', [], [L('Sensors'), L('Data')]],
    ['température/{id}', 'température/+', ['id'], [L('température'), P('id')]],
    ['a b/c-d.e', 'a b/c-d.e', [], [L('a b'), L('c-d.e')]],
    // Zero-length levels are topics of their own (MQTT 5.0 sections 4.7.1.1 and 4.7.3).
    ['/', '/', [], [L(''), L('')]],
    ['//', '//', [], [L(''), L(''), L('')]],
    ['/#', '/#', [], [L(''), multi]],
    ['/+', '/+', [], [L(''), single]],
    ['a//b', 'a//b', [], [L('a'), L(''), L('b')]],
    ['a/', 'a/', [], [L('a'), L('')]],
    ['sub//topic/#', 'sub//topic/#', [], [L('sub'), L(''), L('topic'), multi]],
    ['/{id}/', '/+/', ['id'], [L(''), P('id'), L('')]],
  ])('%p compiles to filter %p', (template, filter, paramNames, levels) => {
    const compiled = compile(template);
    expect(compiled).toEqual({ template, filter, paramNames, levels });
  });
});

describe('parseTemplate: every malformed form is reported with its level and a fix', () => {
  // Each row: a template with exactly one problem, and fragments the single message must hold.
  it.each<[string, string, string[]]>([
    ['empty template', '', ['template is empty', 'at least one level']],
    ['two parameters in a level', 'a/{a}{b}', ['level 2 ("{a}{b}")', 'whole level']],
    ['parameter then text', '{a}x', ['level 1 ("{a}x")', 'whole level']],
    ['text then parameter', 'x{a}', ['level 1 ("x{a}")', 'whole level']],
    ['text around a parameter', 'a/x{id}y/b', ['level 2 ("x{id}y")', 'whole level']],
    ['# before the last level', '#/a', ['level 1 ("#")', 'must be the last level', 'move it to the end']],
    ['# in the middle', 'a/#/b', ['level 2 ("#")', 'must be the last level']],
    ['{rest*} before the last level', 'a/{rest*}/b', ['level 2 ("{rest*}")', 'must be the last level']],
    [
      'duplicate parameter',
      'a/{x}/{x}',
      ['level 3 ("{x}")', 'repeats the parameter "x" of level 2', 'rename'],
    ],
    [
      'duplicate parameter and rest',
      '{x}/{x*}',
      ['level 2 ("{x*}")', 'repeats the parameter "x" of level 1'],
    ],
    ['+ inside a literal', 'a+b', ['level 1 ("a+b")', 'inside a literal', 'whole level']],
    ['# inside a literal', 'a/foo#', ['level 2 ("foo#")', 'inside a literal']],
    ['+ after a literal', 'a/+x', ['level 2 ("+x")', 'inside a literal']],
    ['# before a literal', '#a', ['level 1 ("#a")', 'inside a literal']],
    ['unclosed brace', 'a/{id', ['level 2 ("{id")', 'unmatched', '"{name}"']],
    ['stray closing brace', 'a}', ['level 1 ("a}")', 'unmatched']],
    ['reversed braces', '}a{', ['level 1 ("}a{")', 'unmatched']],
    ['nested braces', '{a{b}}', ['level 1 ("{a{b}}")', 'unmatched']],
    ['extra closing brace', '{a}}', ['level 1 ("{a}}")', 'unmatched']],
    ['empty parameter name', 'a/{}', ['level 2 ("{}")', 'invalid parameter name ""', 'start with a letter']],
    ['empty rest name', '{*}', ['level 1 ("{*}")', 'invalid parameter name ""']],
    ['name starting with a digit', '{1a}', ['invalid parameter name "1a"']],
    ['name with a dash', '{a-b}', ['invalid parameter name "a-b"']],
    ['name with a space', '{ a}', ['invalid parameter name " a"']],
    ['double star', '{a**}', ['invalid parameter name "a*"']],
    ['name with a dot', '{a.b}', ['invalid parameter name "a.b"']],
    ['NUL character', 'a/b\u0000c', ['level 2 ("b\\u0000c")', 'NUL', '[MQTT-4.7.3-2]', 'remove it']],
    ['$share prefix', '$share/g/a', ['level 1 ("$share")', 'shared: true']],
    ['$queue prefix', '$queue/a', ['level 1 ("$queue")', 'shared: true']],
    ['bare $share', '$share', ['level 1 ("$share")', 'shared: true']],
  ])('%s: %p', (_name, template, fragments) => {
    const errors = errorsOf(template);
    expect(errors).toHaveLength(1);
    for (const fragment of fragments) expect(errors[0]).toContain(fragment);
  });

  it('rejects a template longer than 65535 bytes [MQTT-4.7.3-3]', () => {
    const errors = errorsOf(`a/${'é'.repeat(32767)}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('65535 bytes');
  });

  it('reports every problem of a template at once', () => {
    const errors = errorsOf('$share//{a}{b}/x+y/#/{id}/{id}/{');
    expect(errors).toHaveLength(6);
    const expected = [
      ['level 1 ("$share")', 'shared: true'],
      ['level 3 ("{a}{b}")', 'whole level'],
      ['level 4 ("x+y")', 'inside a literal'],
      ['level 8 ("{")', 'unmatched'],
      ['level 5 ("#")', 'last level'],
      ['level 7 ("{id}")', 'repeats the parameter "id" of level 6'],
    ];
    expected.forEach((fragments, index) => {
      for (const fragment of fragments) expect(errors[index]).toContain(fragment);
    });
  });

  it('reports a NUL and a bad name in the same level as two problems', () => {
    const errors = errorsOf('{a\u0000}/{}');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('NUL');
    expect(errors[1]).toContain('invalid parameter name "a\\u0000"');
    expect(errors[2]).toContain('level 2 ("{}")');
  });

  it('never throws, whatever the input', () => {
    for (const template of ['{', '}', '{}{}', '{*}/{*}', '#/#', '+#', '\u0000']) {
      expect(() => parseTemplate(template)).not.toThrow();
      expect(parseTemplate(template).ok).toBe(false);
    }
  });
});

describe('extractParams', () => {
  it.each<[string, string, Record<string, string>]>([
    ['sensors/{device_id}/data', 'sensors/t1/data', { device_id: 't1' }],
    ['{a}/{b}', 'x/y', { a: 'x', b: 'y' }],
    ['sport/{x}', 'sport/', { x: '' }],
    ['files/{path*}', 'files/a/b/c', { path: 'a/b/c' }],
    ['files/{path*}', 'files/a', { path: 'a' }],
    // `sport/#` matches `sport` [MQTT-4.7.1-2]: the rest is then empty.
    ['files/{path*}', 'files', { path: '' }],
    ['files/{path*}', 'files/', { path: '' }],
    ['files/{path*}', 'files//x/', { path: '/x/' }],
    ['{all*}', 'a/b', { all: 'a/b' }],
    ['+/{id}/#', 'x/y/z/w', { id: 'y' }],
    ['{owner}/{path*}', 'ana/a/b.txt', { owner: 'ana', path: 'a/b.txt' }],
    ['a/+/b', 'a/x/b', {}],
  ])('%p on %p gives %p', (template, topic, params) => {
    const extracted = extractParams(compile(template), topic.split('/'));
    expect({ ...extracted }).toEqual(params);
    expect(Object.keys(extracted)).toEqual(Object.keys(params));
  });

  it('returns a record that inherits nothing, so __proto__ and constructor are plain keys', () => {
    const params = extractParams(compile('{__proto__}/{constructor}'), ['evil', 'ctor']);
    expect(Object.keys(params)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('evil');
    expect(params.constructor).toBe('ctor');
    expect('toString' in params).toBe(false);
    expect('hasOwnProperty' in params).toBe(false);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(params))).toBeNull();
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
  });

  it('gives each call its own record', () => {
    const compiled = compile('a/{id}');
    const first = extractParams(compiled, ['a', '1']);
    const second = extractParams(compiled, ['a', '2']);
    first.id = 'changed';
    expect(second.id).toBe('2');
  });
});
