/**
 * One phase of scenario 3: queue both routes' messages in the stopped app's session, start the app,
 * let it drain the backlog, and judge what it did.
 */
import { DEAD_LETTER_FILTER } from '../lib/dead-letters';
import type { Outgoing } from '../lib/load-generator';
import { delay, type Rig } from '../lib/rig';
import { check, type Check, sample } from '../lib/scenario';

export const PER_ROUTE = 3000;

export type Fault = 'transient' | 'poison' | undefined;

/** 10 % transient (n % 10 == 0), 1 % poison (n % 100 == 1). */
export function faultOf(n: number): Fault {
  if (n % 10 === 0) return 'transient';
  return n % 100 === 1 ? 'poison' : undefined;
}

export function faultCount(fault: Fault): number {
  return Array.from({ length: PER_ROUTE }, (_, n) => faultOf(n)).filter((f) => f === fault).length;
}

export interface Drained {
  /** Healthy route: messages per second between its first and last finished handler. */
  readonly rate: number;
  /** First to last handler finished on either route. */
  readonly spanMs: number;
  readonly stats: Record<string, number> | undefined;
}

export async function queueAndDrain(rig: Rig, faults: boolean): Promise<Drained> {
  await rig.stopApp();
  await rig.load.publishAll(messages(faults), { window: 500 });
  await rig.app.start();
  const poison = faults ? faultCount('poison') : 0;
  const expected = new Set(
    [...rig.load.sent].filter((id) => !(faults && faultOf(Number(id.slice(2))) === 'poison')),
  );
  await rig.oracle.settle(expected, 10_000);
  // Poison messages finish last (three attempts): wait for their dead letters too.
  for (let i = 0; i < 100 && (rig.deadLetters?.letters.length ?? 0) < poison; i++) await delay(100);
  const stats = await rig.stopApp();
  const healthy = await rig.oracle.window('healthy');
  const flaky = await rig.oracle.window('flaky');
  const rate = healthy ? (PER_ROUTE - 1) / ((healthy.last - healthy.first) / 1000) : 0;
  const spanMs =
    healthy && flaky ? Math.max(healthy.last, flaky.last) - Math.min(healthy.first, flaky.first) : 0;
  return { rate, spanMs, stats };
}

function messages(faults: boolean): Outgoing[] {
  const list: Outgoing[] = [];
  for (let n = 0; n < PER_ROUTE; n++) {
    const fault = faults ? faultOf(n) : undefined;
    list.push({ topic: `flaky/${n}`, id: `f-${n}`, payload: JSON.stringify({ id: `f-${n}`, fault }) });
    list.push({ topic: `healthy/${n}`, id: `h-${n}`, payload: JSON.stringify({ id: `h-${n}` }) });
  }
  return list;
}

/** Transient and healthy messages all processed; exactly one dead letter per poison message. */
export async function faultChecks(rig: Rig): Promise<Check[]> {
  const counts = await rig.oracle.counts();
  const byTopic = rig.deadLetters?.byTopic() ?? new Map();
  const wrongLetters: string[] = [];
  const unprocessed: string[] = [];
  for (let n = 0; n < PER_ROUTE; n++) {
    const fault = faultOf(n);
    const letters = byTopic.get(`flaky/${n}`)?.length ?? 0;
    if (letters !== (fault === 'poison' ? 1 : 0)) wrongLetters.push(`flaky/${n}: ${letters}`);
    if (fault !== 'poison' && !counts.has(`f-${n}`)) unprocessed.push(`f-${n}`);
    if (!counts.has(`h-${n}`)) unprocessed.push(`h-${n}`);
    if ((byTopic.get(`healthy/${n}`)?.length ?? 0) > 0) wrongLetters.push(`healthy/${n}`);
  }
  const letters = rig.deadLetters?.letters ?? [];
  const stored = await rig.storedDeadLetters();
  const storedPoison = new Set(stored.map((l) => l.topic));
  const missingInStore: string[] = [];
  for (let n = 0; n < PER_ROUTE; n++) {
    if (faultOf(n) === 'poison' && !storedPoison.has(`flaky/${n}`)) missingInStore.push(`flaky/${n}`);
  }
  const badBodies = letters.filter((l) => l.attempts !== 3 || l.route !== 'FlakyController.handle');
  const poison = faultCount('poison');
  return [
    check(
      'every transient and healthy message processed',
      unprocessed.length === 0,
      `${unprocessed.length} not processed${sample(unprocessed.slice(0, 5))}`,
    ),
    check(
      'exactly one dead letter per poison message, none for others',
      wrongLetters.length === 0 && letters.length === poison,
      `${letters.length} dead letters for ${poison} poison messages on ${DEAD_LETTER_FILTER}; ` +
        `${wrongLetters.length} topics with a wrong count${sample(wrongLetters.slice(0, 5))}`,
    ),
    check(
      'every poison message kept in the dead-letter store before its ack',
      missingInStore.length === 0 && stored.length === poison,
      `${stored.length} stored for ${poison} poison messages; ${missingInStore.length} missing${sample(missingInStore.slice(0, 5))}`,
    ),
    check(
      'dead letters carry route and attempts (3)',
      badBodies.length === 0,
      `${badBodies.length} with another route or attempt count`,
    ),
    check('no unexpected exit', rig.app.crashes.length === 0, `${rig.app.crashes.length} exits`),
  ];
}
