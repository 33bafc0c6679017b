import { MemoryRateLimitStore, type RateLimitRule } from 'routemq';

function clocked() {
  let now = 1_000_000;
  const store = new MemoryRateLimitStore(() => now);
  return { store, advance: (ms: number) => (now += ms) };
}

async function take(
  store: MemoryRateLimitStore,
  rule: RateLimitRule,
  count: number,
  key = 'k',
): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < count; i++) if ((await store.consume(key, rule)).allowed) allowed++;
  return allowed;
}

describe('MemoryRateLimitStore', () => {
  it('fixed window: `limit` per epoch-aligned window, reset at the boundary', async () => {
    const { store, advance } = clocked();
    const rule: RateLimitRule = { algorithm: 'fixed-window', limit: 3, windowMs: 1000 };
    expect(await store.consume('k', rule)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(await take(store, rule, 5)).toBe(2);
    expect(await store.consume('k', rule)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    advance(999);
    expect(await take(store, rule, 1)).toBe(0);
    advance(1);
    expect(await take(store, rule, 5)).toBe(3);
    expect(await take(store, rule, 3, 'other')).toBe(3);
  });

  it('sliding window: never more than `limit` in any window, freed as old messages age out', async () => {
    const { store, advance } = clocked();
    const rule: RateLimitRule = { algorithm: 'sliding-window', limit: 3, windowMs: 1000 };
    expect(await take(store, rule, 2)).toBe(2);
    advance(600);
    expect(await take(store, rule, 2)).toBe(1);
    expect(await store.consume('k', rule)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 400 });
    advance(400); // the first two leave the window
    expect(await take(store, rule, 5)).toBe(2);
    advance(600); // the third leaves
    expect(await take(store, rule, 5)).toBe(1);
  });

  it('sliding window holds the limit under a steady overload (no burst at window edges)', async () => {
    const { store, advance } = clocked();
    const rule: RateLimitRule = { algorithm: 'sliding-window', limit: 10, windowMs: 1000 };
    const admitted: number[] = [];
    for (let t = 0; t < 5000; t += 10) {
      if ((await store.consume('k', rule)).allowed) admitted.push(t);
      advance(10);
    }
    for (let i = 10; i < admitted.length; i++)
      expect(admitted[i] - admitted[i - 10]).toBeGreaterThanOrEqual(1000);
    expect(admitted.length).toBe(50);
  });

  it('token bucket: bursts up to `burst`, then `limit` per window', async () => {
    const { store, advance } = clocked();
    const rule: RateLimitRule = { algorithm: 'token-bucket', limit: 10, windowMs: 1000, burst: 5 };
    expect(await take(store, rule, 8)).toBe(5);
    expect((await store.consume('k', rule)).retryAfterMs).toBe(100);
    advance(100);
    expect(await take(store, rule, 3)).toBe(1);
    advance(1000);
    expect(await take(store, rule, 20)).toBe(5); // refilled to the burst, not beyond
    advance(10_000);
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      if ((await store.consume('k', rule)).allowed) allowed++;
      advance(50); // 20 per second offered, 10 per second allowed
    }
    expect(allowed).toBeGreaterThanOrEqual(54);
    expect(allowed).toBeLessThanOrEqual(56);
  });

  it('forgets keys whose budgets are whole again', async () => {
    const { store, advance } = clocked();
    const rule: RateLimitRule = { algorithm: 'fixed-window', limit: 1, windowMs: 100 };
    for (let i = 0; i < 100; i++) await store.consume(`device-${i}`, rule);
    expect(store.size).toBe(100);
    advance(20_000);
    await store.consume('late', rule);
    expect(store.size).toBe(1);
  });
});
