/**
 * Questions the supervisor asks its workers over the IPC channel `fork()` opened: their metrics (as
 * `registry.getMetricsAsJSON()`, merged with prom-client's `AggregatorRegistry.aggregate`) and their
 * readiness. The workers are forked with child_process, not cluster, so prom-client's own cluster
 * support does not apply.
 * @module
 */
import type { ChildProcess } from 'node:child_process';

/** What the supervisor can ask. */
export type WorkerQuestion = 'metrics' | 'ready';

const REQUEST = 'routemq:observe-request';
const RESPONSE = 'routemq:observe-response';

interface Request {
  readonly type: typeof REQUEST;
  readonly id: number;
  readonly question: WorkerQuestion;
}

interface Response {
  readonly type: typeof RESPONSE;
  readonly id: number;
  readonly answer?: unknown;
  readonly error?: string;
}

/** A worker's answers to the supervisor's questions. */
export type WorkerAnswers = Readonly<Record<WorkerQuestion, () => Promise<unknown>>>;

/**
 * In a worker process: answers the supervisor's questions until the returned function is called.
 *
 * @example
 * ```ts
 * const detach = answerSupervisor({ metrics: () => registry.getMetricsAsJSON(), ready: () => readiness.check() });
 * ```
 */
export function answerSupervisor(answers: WorkerAnswers, channel: NodeJS.Process = process): () => void {
  const listener = (message: unknown): void => {
    if (!isRequest(message)) return;
    answers[message.question]().then(
      (answer) => send(channel, { type: RESPONSE, id: message.id, answer }),
      (error: unknown) => send(channel, { type: RESPONSE, id: message.id, error: String(error) }),
    );
  };
  channel.on('message', listener);
  return () => channel.off('message', listener);
}

function send(channel: NodeJS.Process, response: Response): void {
  // The supervisor may be gone (it is stopping us): nothing to answer then.
  if (channel.connected) channel.send?.(response, undefined, undefined, () => undefined);
}

let nextId = 1;

/**
 * In the supervisor: asks every given worker, and resolves with each answer in order (undefined for a
 * worker that did not answer within `timeoutMs`, exited, or failed).
 *
 * @example
 * ```ts
 * const metrics = await askWorkers(supervisor.processes, 'metrics', 2000);
 * ```
 */
export function askWorkers(
  workers: readonly ChildProcess[],
  question: WorkerQuestion,
  timeoutMs: number,
): Promise<unknown[]> {
  return Promise.all(workers.map((worker) => askOne(worker, question, timeoutMs)));
}

function askOne(worker: ChildProcess, question: WorkerQuestion, timeoutMs: number): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve) => {
    const finish = (answer: unknown): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(answer);
    };
    const onMessage = (message: unknown): void => {
      if (isResponse(message) && message.id === id)
        finish(message.error === undefined ? message.answer : undefined);
    };
    const onExit = (): void => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    const request: Request = { type: REQUEST, id, question };
    try {
      worker.send(request, (error) => {
        if (error) finish(undefined);
      });
    } catch {
      finish(undefined);
    }
  });
}

function isRequest(message: unknown): message is Request {
  const candidate = message as Partial<Request> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.type === REQUEST &&
    typeof candidate.id === 'number' &&
    (candidate.question === 'metrics' || candidate.question === 'ready')
  );
}

function isResponse(message: unknown): message is Response {
  const candidate = message as Partial<Response> | null;
  return typeof candidate === 'object' && candidate !== null && candidate.type === RESPONSE;
}
