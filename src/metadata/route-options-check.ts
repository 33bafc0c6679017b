import type { CompiledTemplate } from '../routing/topic-template';
import { parseTemplate } from '../routing/topic-template';
import type { ParamArgs, TopicOptions } from './types';
import { breaksTopicLevel, publishTopicProblem } from '../routing/topic-filter';

/** Problems with a route's options, as sentences (the caller adds which route). */
export function topicOptionProblems(options: TopicOptions): string[] {
  const problems: string[] = [];
  const { qos, shared, workers, group } = options;
  if (qos !== undefined && qos !== 0 && qos !== 1 && qos !== 2)
    problems.push(`qos must be 0, 1 or 2 (got ${String(qos)})`);
  if (shared !== undefined && typeof shared !== 'boolean')
    problems.push(`shared must be true or false (got ${String(shared)})`);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    problems.push(`workers must be a whole number >= 1 (got ${String(workers)})`);
  } else if (workers !== undefined && workers > 1 && shared !== true) {
    problems.push(
      `workers: ${workers} needs shared: true (workers share the route through a broker share group)`,
    );
  }
  if (group !== undefined && (typeof group !== 'string' || group === '' || breaksTopicLevel(group))) {
    problems.push(`group must be a non-empty name without '/', '+', '#' (got ${JSON.stringify(group)})`);
  }
  problems.push(...reliabilityOptionProblems(options));
  return problems;
}

function reliabilityOptionProblems(options: TopicOptions): string[] {
  const problems: string[] = [];
  const { concurrency, retry, deadLetter, maxPayloadBytes } = options;
  const wholeAtLeast = (value: unknown, min: number) => Number.isInteger(value) && (value as number) >= min;
  if (concurrency !== undefined && !wholeAtLeast(concurrency, 1)) {
    problems.push(`concurrency must be a whole number >= 1 (got ${String(concurrency)})`);
  }
  if (maxPayloadBytes !== undefined && !wholeAtLeast(maxPayloadBytes, 1)) {
    problems.push(`maxPayloadBytes must be a whole number >= 1 (got ${String(maxPayloadBytes)})`);
  }
  if (
    deadLetter !== undefined &&
    deadLetter !== false &&
    (typeof deadLetter !== 'string' || publishTopicProblem(deadLetter))
  ) {
    problems.push(
      `deadLetter must be false or a topic without wildcards (got ${JSON.stringify(deadLetter)})`,
    );
  }
  if (retry !== undefined) {
    if (retry.attempts !== undefined && !wholeAtLeast(retry.attempts, 1)) {
      problems.push(`retry.attempts must be a whole number >= 1 (got ${String(retry.attempts)})`);
    }
    for (const key of ['delayMs', 'maxDelayMs'] as const) {
      if (retry[key] !== undefined && !wholeAtLeast(retry[key], 0)) {
        problems.push(`retry.${key} must be a whole number of milliseconds >= 0 (got ${String(retry[key])})`);
      }
    }
    if (retry.retryable !== undefined && typeof retry.retryable !== 'function') {
      problems.push('retry.retryable must be a function (error) => boolean');
    }
  }
  return problems;
}

/** Parses a reply template: only literal levels and parameters the route has. */
export function parseReplyTemplate(
  reply: string,
  route: CompiledTemplate,
): { compiled?: CompiledTemplate; problems: string[] } {
  const parsed = parseTemplate(reply);
  if (!parsed.ok) return { problems: parsed.errors.map((e) => `reply '${reply}': ${e}`) };
  const problems: string[] = [];
  for (const level of parsed.compiled.levels) {
    if (level.kind === 'single' || level.kind === 'multi' || level.kind === 'rest') {
      problems.push(`reply '${reply}' cannot hold wildcards: a reply is published to one topic`);
    } else if (level.kind === 'param' && !route.paramNames.includes(level.name)) {
      problems.push(
        `reply '${reply}' uses {${level.name}}, which the route template '${route.template}' does not have`,
      );
    }
  }
  return problems.length > 0 ? { problems } : { compiled: parsed.compiled, problems };
}

/** Problems with a handler's parameter decorators against its template and declared arity. */
export function paramProblems(
  params: readonly ParamArgs[],
  route: CompiledTemplate,
  arity: number,
): string[] {
  const problems: string[] = [];
  const byIndex = new Map<number, ParamArgs>();
  for (const param of params) {
    if (byIndex.has(param.index))
      problems.push(`parameter #${param.index} has more than one parameter decorator`);
    byIndex.set(param.index, param);
    if (param.kind === 'param' && !route.paramNames.includes(param.name)) {
      const known = route.paramNames.length > 0 ? route.paramNames.join(', ') : 'none';
      problems.push(`@Param('${param.name}') names no parameter of '${route.template}' (it has: ${known})`);
    }
  }
  if (params.length > 0) {
    for (let i = 0; i < arity; i++) {
      if (!byIndex.has(i))
        problems.push(`parameter #${i} has no decorator: use @Param(name), @Payload(), @Ctx() or @Batch()`);
    }
  }
  return problems;
}
