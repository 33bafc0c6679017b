import { RouteMQError } from '../errors';

/** One property of a payload that broke its DTO's rules. */
export interface PayloadConstraint {
  /** Where in the payload: `temperature`, `location.lat`, `samples.2.value`. */
  readonly path: string;
  /** Failed constraint name to its message, as class-validator reports them (`isNumber: '...'`). */
  readonly constraints: Readonly<Record<string, string>>;
}

/**
 * Violations kept (in the message and in `constraints`); the rest are only counted. A payload with
 * thousands of undeclared keys otherwise made a log line of hundreds of kilobytes per message.
 */
const KEPT = 20;
/** A line of the message is cut here: property names come from the sender and can be huge. */
const MAX_LINE = 300;

/**
 * A payload that is valid JSON but does not satisfy the route's DTO (code `ERR_VALIDATION_FAILED`).
 * Raised before the handler runs; the handler never sees the message. Not worth retrying: the same
 * bytes fail the same way.
 *
 * @example
 * ```ts
 * const { error } = await testApp.dispatch('sensors/dev-1/data', { temperature: 'hot' });
 * if (error instanceof PayloadValidationError) console.log(error.constraints[0].path); // 'temperature'
 * ```
 */
export class PayloadValidationError extends RouteMQError {
  /** The first 20 failed properties, with their constraint messages (paths and messages clipped). */
  readonly constraints: readonly PayloadConstraint[];
  /** How many properties failed in all (more than `constraints.length` when some were left out). */
  readonly constraintCount: number;

  constructor(where: string, dtoName: string, constraints: readonly PayloadConstraint[]) {
    super('ERR_VALIDATION_FAILED', describe(where, dtoName, constraints));
    this.name = 'PayloadValidationError';
    this.constraints = constraints.slice(0, KEPT).map(clipConstraint);
    this.constraintCount = constraints.length;
  }
}

function clipConstraint(constraint: PayloadConstraint): PayloadConstraint {
  const messages = Object.entries(constraint.constraints).map(([name, text]) => [clip(name), clip(text)]);
  return { path: clip(constraint.path), constraints: Object.fromEntries(messages) as Record<string, string> };
}

function describe(where: string, dtoName: string, constraints: readonly PayloadConstraint[]): string {
  const lines = constraints
    .slice(0, KEPT)
    .map((c) => clip(`  - ${c.path || '(payload)'}: ${Object.values(c.constraints).join('; ')}`));
  const more = constraints.length - KEPT;
  if (more > 0) lines.push(`  - ... and ${more} more`);
  return (
    `${where}: the payload does not satisfy ${dtoName}:\n${lines.join('\n')}\n` +
    `    Fix: send a payload matching ${dtoName}, or change the DTO or the route's validation options.`
  );
}

function clip(line: string): string {
  return line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE)}... (${line.length} characters)`;
}
