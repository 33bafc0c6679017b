import { filtersOverlap } from '../../../src/routing/topic-filter';

describe('filtersOverlap', () => {
  it.each([
    ['sensors/+/data', 'sensors/#', true],
    ['sensors/+/data', 'sensors/a/data', true],
    ['sensors/+/data', 'sensors/+/status', false],
    ['a', 'a/#', true],
    ['a/b', 'a', false],
    ['+/+', '/finance', true],
    ['a/+', 'a/+/c', false],
    ['#', 'x/y/z', true],
    ['x', 'x', true],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(filtersOverlap(a, b)).toBe(expected);
    expect(filtersOverlap(b, a)).toBe(expected);
  });
});
