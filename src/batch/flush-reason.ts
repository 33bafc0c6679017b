/**
 * Why a batch was handed to its handler (the `reason` label of `routemq_batch_flushes_total`):
 * `size` (maxSize items), `time` (maxWaitMs after its first item), `window` (the broker's in-flight
 * window is full: nothing more arrives until something is acknowledged), `shutdown` (the app stops),
 * `manual` (`testApp.flush()`).
 */
export type FlushReason = 'size' | 'time' | 'window' | 'shutdown' | 'manual';

/** Every flush reason, in the order metrics and docs list them. */
export const FLUSH_REASONS: readonly FlushReason[] = ['size', 'time', 'window', 'shutdown', 'manual'];
