/**
 * What the retry lane checks before it runs an envelope again: the lane topic is predictable, so an
 * envelope is data from the network like any other message.
 * @module
 */
import { matchesFilter } from '../routing/topic-filter';
import { extractParams, parseTemplate } from '../routing/topic-template';
import type { RetryEnvelope } from './retry-envelope';
import type { RetryPolicy } from './retry-policy';

/** What the check needs of a route (an executable route has it). */
export interface LaneRoute {
  readonly info: { readonly handler: string; readonly filter: string; readonly template: string };
  readonly retry: Pick<RetryPolicy, 'attempts' | 'maxDelayMs'>;
}

/** Why an envelope was dropped: the `reason` label of `routemq_retry_envelopes_dropped_total`. */
export type EnvelopeDropReason =
  'unauthenticated' | 'unknown_route' | 'attempt_out_of_range' | 'not_before_out_of_range' | 'topic_mismatch';

/** An envelope fit to run, with the parameters taken again from its topic. */
export type EnvelopeVerdict =
  | { readonly ok: true; readonly params: Record<string, string> }
  | { readonly ok: false; readonly reason: EnvelopeDropReason; readonly detail: string };

/** Clocks of two processes differ a little; a delay beyond the policy's maximum by more is forged. */
const CLOCK_SLACK_MS = 5_000;

/**
 * Checks an authenticated envelope against its route: `attempt` must lie in 2..attempts (a retry is
 * never the first attempt nor past the last), `notBefore` at most RETRY_MAX_DELAY_MS (the route's
 * `maxDelayMs`) ahead, and the topic must match the route's filter. The parameters are extracted again
 * from the topic by the route's template, never taken from the envelope, so each is one topic level.
 *
 * @example
 * ```ts
 * const verdict = checkEnvelope(envelope, route, Date.now());
 * if (!verdict.ok) logger.warn({ reason: verdict.reason }, 'retry envelope dropped');
 * ```
 */
export function checkEnvelope(envelope: RetryEnvelope, route: LaneRoute, now: number): EnvelopeVerdict {
  const { attempts, maxDelayMs } = route.retry;
  if (envelope.attempt < 2 || envelope.attempt > attempts) {
    return drop('attempt_out_of_range', `attempt ${envelope.attempt} is outside 2..${attempts}`);
  }
  if (envelope.notBefore > now + maxDelayMs + CLOCK_SLACK_MS) {
    return drop(
      'not_before_out_of_range',
      `notBefore is more than ${maxDelayMs} ms (RETRY_MAX_DELAY_MS) ahead`,
    );
  }
  if (!matchesFilter(route.info.filter, envelope.topic)) {
    return drop('topic_mismatch', `the topic does not match ${route.info.filter}`);
  }
  const parsed = parseTemplate(route.info.template);
  if (!parsed.ok) return drop('topic_mismatch', `the route template ${route.info.template} does not parse`);
  return { ok: true, params: extractParams(parsed.compiled, envelope.topic.split('/')) };
}

function drop(reason: EnvelopeDropReason, detail: string): EnvelopeVerdict {
  return { ok: false, reason, detail };
}
