import { sleep, sleepUntil } from '../../../src/retry/abortable-sleep';

describe('abortable sleep', () => {
  it('resolves true when the delay passed', async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBe(true);
  });

  it('resolves false at once when the signal aborts during the wait', async () => {
    const stopping = new AbortController();
    const waiting = sleep(60_000, stopping.signal);
    stopping.abort();
    await expect(waiting).resolves.toBe(false);
  });

  it('resolves false for an already aborted signal, even with no delay', async () => {
    const stopping = new AbortController();
    stopping.abort();
    await expect(sleep(0, stopping.signal)).resolves.toBe(false);
    await expect(sleepUntil(0, stopping.signal)).resolves.toBe(false);
  });

  it('resolves true for a time already past', async () => {
    await expect(sleepUntil(Date.now() - 1000, new AbortController().signal)).resolves.toBe(true);
  });
});
