/**
 * MQTT quality of service level (MQTT 5.0 section 4.3): 0 at most once, 1 at least once, 2 exactly once.
 * Routing data and the transport both speak it; it lives here so that routing needs nothing from the
 * transport.
 *
 * @example
 * ```ts
 * const qos: QoS = 1;
 * ```
 */
export type QoS = 0 | 1 | 2;
