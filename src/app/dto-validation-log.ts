import type { Logger } from 'pino';
import type { DtoValidationReport } from '../validation/compiled-validator';

/**
 * Says at start which DTO routes run the compiled validator and which keep class-validator, and why
 * (docs/validation.md, "Compiled validation").
 *
 * @example
 * ```ts
 * logDtoValidation(logger, [{ route: 'Sensors.data', dto: 'ReadingDto', compiled: true }]);
 * ```
 */
export function logDtoValidation(logger: Logger, reports: readonly DtoValidationReport[]): void {
  if (reports.length === 0) return;
  const compiled = reports.filter((r) => r.compiled).map((r) => `${r.dto} (${r.route})`);
  const classValidator = reports.filter((r) => !r.compiled).map((r) => `${r.dto} (${r.route}): ${r.reason}`);
  logger.info(
    { compiled, classValidator },
    `DTO validation: ${compiled.length} route(s) compiled, ${classValidator.length} with class-validator`,
  );
}
