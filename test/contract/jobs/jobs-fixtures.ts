import 'reflect-metadata';
import { IsInt, IsString, Min } from 'class-validator';
import { injectable } from 'tsyringe';
import { Job, Module, currentTrace, type JobContext } from '../../../src/index';

/** What the jobs of the contract did, shared by them through injection. */
@injectable()
export class JobLog {
  readonly runs: { job: string; id: string; attempt: number; data: unknown; traceId?: string }[] = [];
  readonly gates = new Map<string, () => void>();

  record(job: string, ctx: JobContext, data: unknown): void {
    this.runs.push({ job, id: ctx.id, attempt: ctx.attempt, data, traceId: currentTrace()?.traceId });
  }

  of(job: string) {
    return this.runs.filter((r) => r.job === job);
  }
}

@Job({ queue: 'contract' })
export class Echo {
  constructor(private readonly log: JobLog) {}
  handle(data: { n: number }, job: JobContext): void {
    this.log.record('Echo', job, data);
  }
}

/** Fails until its third attempt. */
@Job({ queue: 'contract', attempts: 3, backoff: { type: 'fixed', delayMs: 50 } })
export class Flaky {
  constructor(private readonly log: JobLog) {}
  handle(data: unknown, job: JobContext): void {
    this.log.record('Flaky', job, data);
    if (job.attempt < 3) throw new Error(`flaky attempt ${job.attempt}`);
  }
}

/** Always fails. */
@Job({ queue: 'contract', attempts: 2, backoff: { type: 'exponential', delayMs: 20 } })
export class Broken {
  constructor(private readonly log: JobLog) {}
  handle(data: unknown, job: JobContext): void {
    this.log.record('Broken', job, data);
    throw new Error('the mail server said no');
  }
}

/** Waits for its abort signal (or a gate) and never finishes on its own. */
@Job({ queue: 'slow', attempts: 1, timeoutMs: 150 })
export class Sluggish {
  constructor(private readonly log: JobLog) {}
  handle(_data: unknown, job: JobContext): Promise<void> {
    this.log.record('Sluggish', job, { aborted: false });
    return new Promise((resolve) => {
      job.signal.addEventListener('abort', () => {
        this.log.record('Sluggish.aborted', job, { aborted: true });
        resolve();
      });
    });
  }
}

/** Finishes when the test opens its gate (shutdown drain). */
@Job({ queue: 'gated', attempts: 1 })
export class Gated {
  constructor(private readonly log: JobLog) {}
  async handle(data: { key: string }, job: JobContext): Promise<void> {
    this.log.record('Gated.started', job, data);
    await new Promise<void>((resolve) => this.log.gates.set(data.key, resolve));
    this.log.record('Gated.finished', job, data);
  }
}

export class EmailDto {
  @IsString()
  to!: string;
  @IsInt()
  @Min(1)
  priority!: number;
}

@Job({ queue: 'contract', data: EmailDto, attempts: 1 })
export class SendEmail {
  constructor(private readonly log: JobLog) {}
  handle(data: EmailDto, job: JobContext): void {
    this.log.record('SendEmail', job, { isDto: data instanceof EmailDto, to: data.to });
  }
}

@Job({ queue: 'ticks', repeat: { everyMs: 100, data: { tick: true } } })
export class Tick {
  constructor(private readonly log: JobLog) {}
  handle(data: unknown, job: JobContext): void {
    this.log.record('Tick', job, data);
  }
}

@Module({ providers: [JobLog], jobs: [Echo, Flaky, Broken, Sluggish, Gated, SendEmail] })
export class JobsContractModule {}

@Module({ providers: [JobLog], jobs: [Tick] })
export class RepeatModule {}
