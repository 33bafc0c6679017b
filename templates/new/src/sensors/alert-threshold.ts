import { ConfigError } from 'routemq';

/** Injection token of the temperature above which a reading raises an alert. */
export const ALERT_THRESHOLD = Symbol('ALERT_THRESHOLD');

/** ALERT_THRESHOLD from the environment (default 50); a value that is not a number stops start-up. */
export function readAlertThreshold(raw = process.env.ALERT_THRESHOLD): number {
  if (raw === undefined || raw.trim() === '') return 50;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new ConfigError('ERR_CONFIG_INVALID', [`ALERT_THRESHOLD: ${JSON.stringify(raw)} is not a number`]);
  }
  return value;
}
