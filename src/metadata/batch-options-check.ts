import type { ParamArgs, TopicOptions } from './types';

/**
 * Problems with a route's `batch` option and its parameters, as sentences (the caller adds which
 * route): sizes, `reply` (a batch answers no single request), and the `@Batch()` parameter that
 * batch routes take instead of `@Param`, `@Payload` and `@Ctx` (docs/batching.md).
 */
export function batchProblems(options: TopicOptions, params: readonly ParamArgs[]): string[] {
  const batchParams = params.filter((p) => p.kind === 'batch');
  if (options.batch === undefined) {
    return batchParams.length > 0
      ? ["@Batch() needs the route's batch option, e.g. { qos: 1, batch: { maxSize: 500, maxWaitMs: 50 } }"]
      : [];
  }
  const problems = batchSettingProblems(options.batch);
  if (options.reply !== undefined) {
    problems.push(
      'reply cannot be used on a batch route: a batch answers no single request. Publish from the handler instead (MqttPublisher)',
    );
  }
  if (batchParams.length > 1) problems.push('a batch handler takes one @Batch() parameter');
  for (const param of params) {
    if (param.kind !== 'batch') {
      problems.push(
        `parameter #${param.index}: a batch handler receives its items through @Batch(); use item.params, item.payload and item.logger instead of @Param, @Payload and @Ctx`,
      );
    }
  }
  return problems;
}

function batchSettingProblems(batch: unknown): string[] {
  if (typeof batch !== 'object' || batch === null) {
    return [`batch must be an object like { maxSize: 500, maxWaitMs: 50 } (got ${String(batch)})`];
  }
  const { maxSize, maxWaitMs } = batch as { maxSize?: unknown; maxWaitMs?: unknown };
  const problems: string[] = [];
  if (maxSize !== undefined && !(Number.isInteger(maxSize) && (maxSize as number) >= 1)) {
    problems.push(`batch.maxSize must be a whole number >= 1 (got ${String(maxSize)})`);
  }
  if (maxWaitMs !== undefined && !(Number.isInteger(maxWaitMs) && (maxWaitMs as number) >= 0)) {
    problems.push(`batch.maxWaitMs must be a whole number of milliseconds >= 0 (got ${String(maxWaitMs)})`);
  }
  return problems;
}
