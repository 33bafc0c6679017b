/**
 * Counters of what the dispatcher did since start, for logs, tests and health checks (`app.stats`).
 * Every bad input ends up counted here as well as logged.
 */
export interface DispatchStats {
  /** Deliveries received (one per message, whatever the number of routes). */
  received: number;
  /** Route runs that finished without error. */
  processed: number;
  /** Route runs that ended in error (after retries), dead-lettered or not. */
  failed: number;
  /** Extra attempts made (retries). */
  retried: number;
  /** Messages published to a dead-letter topic. */
  deadLettered: number;
  /** Messages rejected before parsing (payload above the size limit). */
  rejected: number;
  /** Messages that matched no route. */
  unmatched: number;
  /** Deliveries left unacknowledged for redelivery (taken in while stopping). */
  withheld: number;
}

/** Fresh zeroed counters. */
export function createDispatchStats(): DispatchStats {
  return {
    received: 0,
    processed: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
    rejected: 0,
    unmatched: 0,
    withheld: 0,
  };
}
