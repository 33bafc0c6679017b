import { topic } from '../../../src/routing/topic-builder';

describe('topic`...` (publish topic builder)', () => {
  it('joins literal parts and safe values', () => {
    const id = 'dev-1';
    expect(topic`alerts/${id}/temperature/${42}`).toBe('alerts/dev-1/temperature/42');
  });

  it.each([['a/b'], ['+'], ['x#'], ['nul\u0000'], [''], ['$SYS']])('refuses the value %j', (value) => {
    expect(() => topic`alerts/${value}`).toThrow(
      expect.objectContaining({ code: 'ERR_PUBLISH_TOPIC_INVALID' }),
    );
  });
});
