import { allowEmpty, topic } from '../../../src/routing/topic-builder';

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

  it('accepts an empty level only where the value is marked allowEmpty (MQTT 5.0 section 4.7.1.1)', () => {
    expect(topic`a/${allowEmpty('')}/b`).toBe('a//b');
    expect(topic`a/${allowEmpty('x')}/b`).toBe('a/x/b');
    expect(() => topic`a/${''}/b`).toThrow(expect.objectContaining({ code: 'ERR_PUBLISH_TOPIC_INVALID' }));
  });

  it.each([['a/b'], ['+'], ['#'], ['$SYS']])('allowEmpty(%j) still refuses what breaks a level', (value) => {
    expect(() => topic`a/${allowEmpty(value)}`).toThrow(
      expect.objectContaining({ code: 'ERR_PUBLISH_TOPIC_INVALID' }),
    );
  });
});
