/**
 * What the ingest runner and its subject processes agree on.
 * @module
 */
import type { DatabaseKind } from './store';

export const SUBJECTS = [
  'bare-rows',
  'routemq-rows',
  'routemq-rows-16',
  'routemq-batch',
  'bare-batch',
] as const;
export type Subject = (typeof SUBJECTS)[number];

export const LABELS: Readonly<Record<Subject, string>> = {
  'bare-rows': '(a) mqtt.js, row by row',
  'routemq-rows': '(b) RouteMQ route, row by row',
  'routemq-rows-16': '(c) RouteMQ route, row by row, concurrency 16',
  'routemq-batch': '(d) RouteMQ batch route 500 / 50 ms',
  'bare-batch': '(e) mqtt.js hand-written batcher',
};

/** The broker's in-flight window and the subjects' receive maximum. */
export const WINDOW = 1000;
export const BATCH_SIZE = 500;
export const BATCH_WAIT_MS = 50;
export const TOPIC_FILTER = 'ingest/+/data';

export interface SubjectSettings {
  readonly subject: Subject;
  readonly database: DatabaseKind;
  /** PostgreSQL URL or SQLite file. */
  readonly target: string;
  readonly url: string;
  readonly clientId: string;
  readonly messages: number;
}

/** Sent by a subject once it stored every message. */
export interface Done {
  readonly type: 'done';
  /** From the first message to the last row stored. */
  readonly elapsedMs: number;
  /** User + system CPU of the subject process over the same span. */
  readonly cpuMicros: number;
}

export function subjectEnv(settings: SubjectSettings): Record<string, string> {
  return { INGEST_SETTINGS: JSON.stringify(settings) };
}

export function readSubjectEnv(env: NodeJS.ProcessEnv): SubjectSettings {
  return JSON.parse(env.INGEST_SETTINGS ?? '{}') as SubjectSettings;
}

/** Parses `{"t": 21.5, "seq": 7}` on `ingest/<device>/data`. */
export function rowOf(topic: string, payload: Buffer): { device: string; seq: number; temperature: number } {
  const body = JSON.parse(payload.toString()) as { t: number; seq: number };
  return { device: topic.split('/')[1], seq: body.seq, temperature: body.t };
}
