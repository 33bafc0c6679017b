/**
 * Reading Prometheus text exposition in tests.
 * @module
 */

/**
 * The value of one series (`name{labels}` exactly as exposed), or undefined when absent.
 *
 * @example
 * ```ts
 * sample(text, 'routemq_messages_processed_total{route="A.b"}'); // 3
 * ```
 */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** GET `/metrics` and read one series. */
export async function scrape(port: number, series: string): Promise<number | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return sample(await response.text(), series);
}

/** GET `/ready`: the status code and the JSON report. */
export async function readiness(port: number): Promise<{ status: number; checks: Record<string, boolean> }> {
  const response = await fetch(`http://127.0.0.1:${port}/ready`);
  const body = (await response.json()) as { checks: Record<string, boolean> };
  return { status: response.status, checks: body.checks };
}

/** Polls `probe` until it returns true (or throws after `timeoutMs`, with the last value seen). */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let problem: unknown;
    try {
      value = await read();
      if (accept(value)) return value;
    } catch (error) {
      problem = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms; last: ${JSON.stringify(value) ?? String(problem)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
