import { SerialQueue } from '../../../src/transport/serial-queue';

describe('SerialQueue', () => {
  it('runs tasks one at a time in push order, never synchronously', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.push(async () => {
      events.push('start 1');
      await gate;
      events.push('end 1');
    });
    queue.push(async () => void events.push('run 2'));
    expect(events).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['start 1']);
    expect(queue.size).toBe(2);
    release();
    expect(await queue.idle()).toBe(true);
    expect(events).toEqual(['start 1', 'end 1', 'run 2']);
    expect(queue.size).toBe(0);
  });

  it('idle(timeout) resolves false while a task is still running', async () => {
    const queue = new SerialQueue();
    queue.push(() => new Promise<void>(() => undefined));
    expect(await queue.idle(20)).toBe(false);
  });

  it('clear() drops tasks that have not started', async () => {
    const queue = new SerialQueue();
    const ran: number[] = [];
    queue.push(async () => void ran.push(1));
    queue.push(async () => void ran.push(2));
    queue.clear();
    await queue.idle();
    expect(ran).toEqual([]);
  });
});
