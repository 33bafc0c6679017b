import { ConfigError } from 'routemq';

/** Injection token of the temperature above which a reading raises an alert. */
export const ALERT_THRESHOLD = Symbol('example.ALERT_THRESHOLD');

/** Reads ALERT_THRESHOLD (default 50); a value that is not a number stops start-up. */
export function readAlertThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ALERT_THRESHOLD?.trim();
  if (raw === undefined || raw === '') return 50;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new ConfigError('ERR_CONFIG_INVALID', [
      `ALERT_THRESHOLD: ${JSON.stringify(raw)} is not a number (e.g. 50)`,
    ]);
  }
  return value;
}
