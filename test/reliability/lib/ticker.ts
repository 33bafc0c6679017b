/** Prints a progress line every `everyMs` while a scenario runs. */
export function startTicker(log: (line: string) => void, status: () => Promise<string>, everyMs = 2000) {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    status()
      .then(log, (error: unknown) => log(`(progress unavailable: ${String(error)})`))
      .finally(() => (busy = false));
  }, everyMs);
  return { stop: () => clearInterval(timer) };
}
