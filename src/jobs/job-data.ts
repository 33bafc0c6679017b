import { RouteMQError } from '../errors';
import type { JobDefinition } from './job-definition';
import { JobDataError } from './job-errors';

type DtoModule = typeof import('../validation/dto-converter');

/** Checks and converts the data of one job class: as JSON, then through its DTO when it has one. */
export type JobDataCheck = (data: unknown) => unknown;

/**
 * The data check of a job, built once: plain JSON-storable data for jobs without a DTO; for a DTO
 * job, the route DTO path (prototype-key check, class-transformer, class-validator) returning an
 * instance. Throws {@link JobDataError}.
 *
 * @example
 * ```ts
 * const check = jobDataCheck(definition);
 * const email = await check({ to: 'ops@example.com' });
 * ```
 */
export function jobDataCheck(definition: JobDefinition): (data: unknown) => Promise<unknown> {
  const where = `job ${definition.name}`;
  const dto = definition.dataType;
  if (!dto) {
    return (data) => Promise.resolve(JSON.parse(toJson(data, where)) as unknown);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- class-validator loads only for DTO jobs
  const { createDtoDecoder } = require('../validation/dto-converter') as DtoModule;
  const decode = createDtoDecoder(dto, {}, where);
  return async (data) => {
    try {
      return await decode(Buffer.from(toJson(data, where), 'utf8'));
    } catch (error) {
      if (!(error instanceof RouteMQError)) throw error;
      throw new JobDataError(`${where}: the data was refused: ${error.message}`, { cause: error });
    }
  };
}

/** JSON text of job data: what Redis will hold. */
export function toJson(data: unknown, where: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data ?? null);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JobDataError(`${where}: the data cannot be stored as JSON (${reason}); pass plain objects.`);
  }
  if (text === undefined) {
    throw new JobDataError(`${where}: the data cannot be stored as JSON; pass a plain object.`);
  }
  return text;
}
