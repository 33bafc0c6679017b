import { Limiter } from '../concurrency/limiter';
import type { RouteDefinition } from '../metadata/route-definition';
import type { ExecutableRoute } from '../pipeline/executable-route';
import { isRetryableByDefault } from '../pipeline/retry-policy';
import type { AppConfig } from './config';

/** The parts of an executable route that come from reliability options and their defaults. */
export type RoutePolicy = Pick<ExecutableRoute, 'limiter' | 'retry' | 'deadLetterTopic' | 'maxPayloadBytes'>;

/** App-wide defaults of route policies (from the configuration). */
export type PolicyDefaults = Pick<
  AppConfig,
  'concurrency' | 'retryAttempts' | 'retryDelayMs' | 'retryMaxDelayMs' | 'deadLetterTopic' | 'maxPayloadBytes'
>;

/**
 * Resolves a route's concurrency, retry policy, dead-letter topic and payload limit: route options
 * first, then the app's defaults. The dead-letter topic is `<DEAD_LETTER_TOPIC>/<original topic>`
 * unless the route names one (or `false`: failures are only logged).
 */
export function routePolicyOf(
  route: RouteDefinition,
  defaults: PolicyDefaults,
  workersInProcess = false,
): RoutePolicy {
  const { concurrency, retry = {}, deadLetter, maxPayloadBytes } = route.options;
  const limit = concurrency ?? defaults.concurrency;
  return {
    // Without worker processes, `workers: N` becomes N messages at once in this process.
    limiter: new Limiter(workersInProcess ? Math.max(limit, route.workers) : limit),
    retry: {
      attempts: retry.attempts ?? defaults.retryAttempts,
      delayMs: retry.delayMs ?? defaults.retryDelayMs,
      maxDelayMs: retry.maxDelayMs ?? defaults.retryMaxDelayMs,
      retryable: retry.retryable ?? isRetryableByDefault,
    },
    deadLetterTopic: deadLetterTopicOf(deadLetter, defaults.deadLetterTopic),
    maxPayloadBytes: maxPayloadBytes ?? defaults.maxPayloadBytes,
  };
}

function deadLetterTopicOf(
  option: string | false | undefined,
  prefix: string,
): RoutePolicy['deadLetterTopic'] {
  if (option === false) return undefined;
  if (option !== undefined) return () => option;
  return (topic) => `${prefix}/${topic}`;
}
