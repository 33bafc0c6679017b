/** The payload of `sensors/{device_id}/data`. */
export interface SensorReading {
  temperature: number;
  humidity?: number;
}

/**
 * Checks a decoded payload; throws with what is wrong (the framework logs it with the route and topic).
 * The integrations issue replaces this with a class-validator DTO.
 */
export function toSensorReading(payload: unknown): SensorReading {
  if (typeof payload !== 'object' || payload === null || Buffer.isBuffer(payload)) {
    throw new TypeError('payload must be a JSON object like {"temperature": 21.5}');
  }
  const { temperature, humidity } = payload as Record<string, unknown>;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature)) {
    throw new TypeError('temperature must be a number');
  }
  if (humidity !== undefined && (typeof humidity !== 'number' || !Number.isFinite(humidity))) {
    throw new TypeError('humidity, when given, must be a number');
  }
  return humidity === undefined ? { temperature } : { temperature, humidity };
}
