import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { answerSupervisor, askWorkers } from '../../../src/observability/worker-channel';

/** A worker process and the supervisor's handle on it, joined by an in-memory "IPC channel". */
function pair(answers: { metrics: () => Promise<unknown>; ready: () => Promise<unknown> }) {
  const workerSide = new EventEmitter() as EventEmitter & { connected: boolean; send: unknown };
  const child = new EventEmitter() as EventEmitter & { send: unknown };
  workerSide.connected = true;
  workerSide.send = (message: unknown, _h: unknown, _o: unknown, callback?: () => void) => {
    setImmediate(() => child.emit('message', message));
    callback?.();
    return true;
  };
  child.send = (message: unknown, callback?: (error: Error | null) => void) => {
    setImmediate(() => workerSide.emit('message', message));
    callback?.(null);
    return true;
  };
  const detach = answerSupervisor(answers, workerSide as unknown as NodeJS.Process);
  return { child: child as unknown as ChildProcess, workerSide, detach };
}

describe('worker channel (supervisor <-> worker IPC)', () => {
  it('collects every worker’s answer, in order', async () => {
    const a = pair({ metrics: async () => [{ name: 'a' }], ready: async () => ({ ready: true }) });
    const b = pair({ metrics: async () => [{ name: 'b' }], ready: async () => ({ ready: false }) });
    expect(await askWorkers([a.child, b.child], 'metrics', 1000)).toEqual([[{ name: 'a' }], [{ name: 'b' }]]);
    expect(await askWorkers([a.child, b.child], 'ready', 1000)).toEqual([{ ready: true }, { ready: false }]);
  });

  it('answers undefined for a worker that fails, is silent past the timeout, or exits', async () => {
    const failing = pair({ metrics: () => Promise.reject(new Error('x')), ready: async () => ({}) });
    const silent = pair({ metrics: () => new Promise(() => undefined), ready: async () => ({}) });
    const exiting = pair({ metrics: () => new Promise(() => undefined), ready: async () => ({}) });
    setTimeout(() => exiting.child.emit('exit', 1), 20);
    const started = Date.now();
    const answers = await askWorkers([failing.child, silent.child, exiting.child], 'metrics', 200);
    expect(answers).toEqual([undefined, undefined, undefined]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops answering once detached, and ignores unrelated messages', async () => {
    const answers = { metrics: jest.fn(async () => []), ready: jest.fn(async () => ({})) };
    const worker = pair(answers);
    worker.workerSide.emit('message', { type: 'routemq:worker-ready' });
    worker.workerSide.emit('message', 'text');
    expect(answers.metrics).not.toHaveBeenCalled();
    worker.detach();
    expect(await askWorkers([worker.child], 'metrics', 100)).toEqual([undefined]);
  });
});
