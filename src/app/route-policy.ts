import { Limiter } from '../concurrency/limiter';
import type { RouteDefinition } from '../metadata/route-definition';
import type { ExecutableRoute } from '../pipeline/executable-route';
import { isRetryableByDefault } from '../retry/retry-policy';
import type { AppConfig } from './config';
import { publishTopicProblem } from '../routing/topic-filter';

/** The parts of an executable route that come from reliability options and their defaults. */
export type RoutePolicy = Pick<ExecutableRoute, 'limiter' | 'retry' | 'deadLetterTopic' | 'maxPayloadBytes'>;

/** App-wide defaults of route policies (from the configuration). */
export type PolicyDefaults = Pick<
  AppConfig,
  'concurrency' | 'retryAttempts' | 'retryDelayMs' | 'retryMaxDelayMs' | 'deadLetterTopic' | 'maxPayloadBytes'
> &
  Partial<Pick<AppConfig, 'unavailableMaxWaitMs'>>;

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
      unavailableMaxWaitMs: defaults.unavailableMaxWaitMs,
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
  return (topic) => deadLetterTopicFor(prefix, topic);
}

/** Mosquitto drops the connection of a PUBLISH to a topic of more than 200 levels (TOPIC_HIERARCHY_LIMIT). */
const MAX_TOPIC_LEVELS = 200;

/**
 * `<prefix>/<original topic>`, or the prefix alone when the original topic would make an invalid or
 * too deep publish topic: a dead letter must never become a poison publish that disconnects the app
 * (Mosquitto closes the connection on a bad PUBLISH topic [MQTT-3.3.2-2], and mqtt.js re-sends a stored
 * QoS 1 publish after every reconnect). The body keeps the original topic either way.
 */
function deadLetterTopicFor(prefix: string, topic: string): string {
  const candidate = `${prefix}/${topic}`;
  if (publishTopicProblem(candidate) !== undefined) return prefix;
  let levels = 1;
  for (let i = candidate.indexOf('/'); i !== -1; i = candidate.indexOf('/', i + 1)) levels++;
  return levels > MAX_TOPIC_LEVELS ? prefix : candidate;
}
