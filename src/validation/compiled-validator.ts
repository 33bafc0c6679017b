/**
 * Whether a DTO route runs the compiled validator, and why not when it does not: the plan of the DTO
 * (dto-plan.ts) and the route's validation options must both be within what the compiler expresses.
 * @module
 */
import type { Class, PayloadValidationOptions } from '../metadata/types';
import { compileDto, type CompiledDto } from './compiled-dto';
import { planDto } from './dto-plan';

/** What the start log says about one DTO route. */
export interface DtoValidationReport {
  readonly route: string;
  readonly dto: string;
  /** True: the compiled validator; false: class-transformer + class-validator, for `reason`. */
  readonly compiled: boolean;
  readonly reason?: string;
}

/** Options the compiler leaves to class-validator (they change which rules run or how values convert). */
const NOT_COMPILED_OPTIONS = [
  'enableImplicitConversion',
  'skipMissingProperties',
  'skipNullProperties',
  'skipUndefinedProperties',
  'stopAtFirstError',
] as const;

/**
 * The compiled validator of a DTO route, or undefined with the reason in the report.
 *
 * @example
 * ```ts
 * const { run, report } = compiledValidatorOf(ReadingDto, route.options.validation ?? {}, 'Sensors.data');
 * ```
 */
export function compiledValidatorOf(
  dto: Class,
  options: PayloadValidationOptions,
  route: string,
): { readonly run: CompiledDto | undefined; readonly report: DtoValidationReport } {
  const option = NOT_COMPILED_OPTIONS.find((name) => options[name] === true);
  const reason =
    option !== undefined
      ? `the route sets ${option}`
      : (options.groups?.length ?? 0) > 0
        ? 'the route validates groups'
        : undefined;
  if (reason !== undefined)
    return { run: undefined, report: { route, dto: dto.name, compiled: false, reason } };
  const planned = planDto(dto);
  if ('reason' in planned) {
    return { run: undefined, report: { route, dto: dto.name, compiled: false, reason: planned.reason } };
  }
  const run = compileDto(planned.plan, {
    whitelist: options.whitelist ?? true,
    forbidNonWhitelisted: options.forbidNonWhitelisted ?? true,
  });
  return { run, report: { route, dto: dto.name, compiled: true } };
}
