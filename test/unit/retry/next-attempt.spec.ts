import { RouteMQError } from '../../../src/errors';
import { AttemptTracker, persistentRetryDelay } from '../../../src/retry/next-attempt';
import { isRetryableByDefault, type RetryPolicy } from '../../../src/retry/retry-policy';

const nextAttempt = (policy: RetryPolicy, error: unknown, attempt: number) =>
  new AttemptTracker(policy).next(error, attempt);

const policy: RetryPolicy = { attempts: 3, delayMs: 100, maxDelayMs: 1000, retryable: isRetryableByDefault };
const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('AttemptTracker', () => {
  it('retries an ordinary error while attempts remain, with a delay within the backoff', () => {
    const next = nextAttempt(policy, new Error('boom'), 1);
    expect(next).toMatchObject({ retry: true, unavailable: false });
    if (next.retry) expect(next.delayMs).toBeGreaterThanOrEqual(50);
    if (next.retry) expect(next.delayMs).toBeLessThanOrEqual(100);
  });

  it('gives up after the last attempt', () => {
    expect(nextAttempt(policy, new Error('boom'), 3)).toEqual({ retry: false });
  });

  it('does not retry errors about the message itself', () => {
    const invalid = new RouteMQError('ERR_VALIDATION_FAILED', 'bad payload');
    expect(nextAttempt(policy, invalid, 1)).toEqual({ retry: false });
  });

  it('honours a route-level retryable predicate', () => {
    expect(nextAttempt({ ...policy, retryable: () => false }, new Error('x'), 1)).toEqual({ retry: false });
  });

  it('keeps retrying an unavailable dependency past the attempt count, capped at maxDelayMs', () => {
    const next = nextAttempt(policy, refused, 50);
    expect(next).toMatchObject({ retry: true, unavailable: true });
    if (next.retry) expect(next.delayMs).toBeLessThanOrEqual(policy.maxDelayMs);
  });

  it('recognises an unavailable dependency through the cause chain', () => {
    const wrapped = new Error('query failed', { cause: refused });
    expect(nextAttempt(policy, wrapped, 3)).toMatchObject({ retry: true, unavailable: true });
  });

  it('stops waiting for a dependency after unavailableMaxWaitMs: then the ordinary rule applies', () => {
    const tracker = new AttemptTracker({ ...policy, unavailableMaxWaitMs: 0 });
    expect(tracker.next(refused, 1)).toMatchObject({ retry: true, unavailable: false });
    expect(tracker.next(refused, 3)).toEqual({ retry: false });
  });

  it('bounds the persistent delay by maxDelayMs however many tries', () => {
    expect(persistentRetryDelay(policy, 1_000)).toBeLessThanOrEqual(policy.maxDelayMs);
  });
});
