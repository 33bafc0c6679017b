/**
 * Scenario 5: a table of malformed inputs, 100 of each, with valid traffic in between. 0 crashes,
 * 0 broker disconnects, each malformed message logged once and dead-lettered once with the expected
 * error code, every valid message processed, Object.prototype untouched.
 */
import type { LogLine } from '../lib/app-process';
import type { DeadLetterBody } from '../lib/dead-letters';
import type { Outgoing } from '../lib/load-generator';
import { Rig, delay } from '../lib/rig';
import { check, sample, type Check, type Scenario, type ScenarioReport } from '../lib/scenario';
import { startTicker } from '../lib/ticker';
import { MALFORMED_CASES, MAX_PAYLOAD_BYTES, validMessage, type MalformedCase } from './malformed-cases';

const PER_CASE = 100;

interface CaseOutcome {
  readonly name: string;
  readonly logged: number;
  readonly deadLettered: number;
  readonly codes: string;
  readonly pass: boolean;
}

const MALFORMED = MALFORMED_CASES.length * PER_CASE;

export const malformedInputs: Scenario = {
  id: 'malformed-inputs',
  title: `5. Malformed inputs: ${MALFORMED_CASES.length} kinds x ${PER_CASE}, valid traffic in between`,
  async run(ctx) {
    const rig = await Rig.open(ctx, 'malformed', {
      fixture: 'malformed-app',
      deadLetters: true,
      env: { MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES), ROUTE_CONCURRENCY: '16' },
    });
    const ticker = startTicker(ctx.log, async () => {
      const letters = rig.deadLetters?.letters.length ?? 0;
      const processed = await rig.oracle.processedCount();
      return `sent ${rig.load.sent.size} valid, processed ${processed}, dead letters ${letters}/${MALFORMED}`;
    });
    try {
      await rig.load.publishAll(interleaved());
      await rig.oracle.settle(rig.load.sent, 10_000);
      for (let i = 0; i < 150 && (rig.deadLetters?.letters.length ?? 0) < MALFORMED; i++) await delay(100);
      await rig.stopApp();
      const outcomes = MALFORMED_CASES.map((kind) => judgeCase(kind, rig));
      for (const o of outcomes) ctx.log(`${o.name}: ${describe(o)}`);
      return await judge(rig, outcomes);
    } finally {
      ticker.stop();
      await rig.close();
    }
  },
};

/** Each malformed message followed by a valid one, the kinds in turn. */
function interleaved(): Outgoing[] {
  const messages: Outgoing[] = [];
  for (let n = 0; n < PER_CASE; n++) {
    for (const [c, kind] of MALFORMED_CASES.entries()) {
      messages.push(kind.build(`${kind.name}-${n}`));
      messages.push(validMessage(n * MALFORMED_CASES.length + c));
    }
  }
  return messages;
}

async function judge(rig: Rig, outcomes: readonly CaseOutcome[]): Promise<ScenarioReport> {
  const tally = await rig.oracle.tally(rig.load.sent);
  const polluted = (await rig.oracle.flags()).polluted ?? 0;
  const lostConnection = rig.app.linesMatching(/MQTT connection lost/).length;
  const crashes = rig.app.crashes.length;
  const figures: Record<string, number | string | boolean> = {
    malformed_messages: MALFORMED,
    valid_messages: tally.sent,
    valid_lost: tally.lost,
    dead_letters: rig.deadLetters?.letters.length ?? 0,
    app_processes: rig.app.starts,
    app_disconnects: lostConnection,
    load_generator_disconnects: rig.load.disconnects,
    prototype_polluted: polluted,
  };
  for (const o of outcomes) figures[`case_${o.name}`] = describe(o);
  const checks: Check[] = [
    check(
      '0 crashes',
      crashes === 0 && rig.app.starts === 1,
      `${rig.app.starts} process(es), ${crashes} unexpected exits`,
    ),
    check(
      '0 broker disconnects',
      lostConnection === 0 && rig.load.disconnects === 0,
      `app ${lostConnection}, load generator ${rig.load.disconnects}`,
    ),
    check(
      'valid traffic all processed',
      tally.lost === 0,
      `${tally.lost} of ${tally.sent} lost${sample(tally.lostSample)}`,
    ),
    check('Object.prototype not polluted', polluted === 0, `${polluted} handlers saw a polluted prototype`),
    ...outcomes.map((o) => check(`${o.name}: each logged and dead-lettered once`, o.pass, describe(o))),
  ];
  const good = outcomes.filter((o) => o.pass).length;
  const summary =
    `${MALFORMED} malformed (${good}/${outcomes.length} kinds each logged + dead-lettered once), ` +
    `${tally.sent - tally.lost}/${tally.sent} valid processed, ${crashes} crashes, ${lostConnection} disconnects`;
  return { summary, figures, checks, targets: [] };
}

function describe(o: CaseOutcome): string {
  return `${o.logged} logged, ${o.deadLettered} dead-lettered, ${o.codes}`;
}

/** Counts, per message of the case, its error log lines and dead letters, and the codes seen. */
function judgeCase(kind: MalformedCase, rig: Rig): CaseOutcome {
  const prefix = kind.name;
  const errors = rig.app.logs.filter(
    (l) => l.level === 50 && /failed$/.test(l.msg ?? '') && keyOf(l.topic) === prefix,
  );
  const letters = (rig.deadLetters?.letters ?? []).filter((l) => keyOf(l.topic) === prefix);
  const perTopic = new Map<string, { logs: number; letters: number }>();
  const bump = (topic: unknown, field: 'logs' | 'letters'): void => {
    const key = String(topic);
    const entry = perTopic.get(key) ?? { logs: 0, letters: 0 };
    entry[field]++;
    perTopic.set(key, entry);
  };
  errors.forEach((l) => bump(l.topic, 'logs'));
  letters.forEach((l) => bump(l.topic, 'letters'));
  const codes = new Set([...errors.map(logCode), ...letters.map(letterCode)]);
  const exact =
    perTopic.size === PER_CASE && [...perTopic.values()].every((e) => e.logs === 1 && e.letters === 1);
  const expectedCodes = [...codes].every((code) => kind.codes.includes(code));
  return {
    name: kind.name,
    logged: errors.length,
    deadLettered: letters.length,
    codes: [...codes].join(' / ') || 'no code',
    pass: exact && expectedCodes,
  };
}

/** The case name in a topic such as `dto/proto-key-17/reading` or `relay/publish-plus-3`. */
function keyOf(topic: unknown): string | undefined {
  const level = typeof topic === 'string' ? topic.split('/')[1] : undefined;
  return level?.replace(/-\d+$/, '');
}

function logCode(line: LogLine): string {
  const err = line.err as { code?: unknown } | undefined;
  return typeof err?.code === 'string' ? err.code : 'none';
}

function letterCode(letter: DeadLetterBody): string {
  return letter.error.code ?? 'none';
}
