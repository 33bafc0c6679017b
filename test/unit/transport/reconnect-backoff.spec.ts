import { ReconnectBackoff } from '../../../src/transport/reconnect-backoff';

describe('ReconnectBackoff', () => {
  it('doubles from the minimum up to the maximum, jittered between half and all of it', () => {
    const low = new ReconnectBackoff(500, 4000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([
      250, 500, 1000, 2000, 2000,
    ]);
    const high = new ReconnectBackoff(500, 4000, () => 1);
    expect([high.next(), high.next(), high.next(), high.next(), high.next()]).toEqual([
      500, 1000, 2000, 4000, 4000,
    ]);
  });

  it('starts again from the minimum after reset', () => {
    const backoff = new ReconnectBackoff(100, 1000, () => 1);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
