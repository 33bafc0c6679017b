import type { Class, PayloadValidationOptions } from '../metadata/types';
import type { PayloadConverter } from '../pipeline/handler-arguments';
import type { DtoValidationReport } from '../validation/compiled-validator';
import { isDtoType } from '../validation/dto-type';

const decoded: PayloadConverter = (ctx) => ctx.payload;
const raw: PayloadConverter = (ctx) => ctx.packet.payload;
const text: PayloadConverter = (ctx) => ctx.packet.payload.toString('utf8');

/**
 * Chooses how a `@Payload()` parameter is filled from its declared type: `Buffer` gets the raw bytes,
 * `string` the UTF-8 text, a class (a DTO) a validated instance of it, anything else the decoded
 * payload (JSON, or the Buffer for non-JSON). Called once per route at boot; `report` hears whether a
 * DTO runs the compiled validator.
 *
 * @example
 * ```ts
 * const convert = payloadConverterFor(SensorReadingDto, route.options.validation, 'SensorController.data');
 * ```
 */
export function payloadConverterFor(
  type: Class | undefined,
  validation?: PayloadValidationOptions,
  where = 'route',
  report?: (report: DtoValidationReport) => void,
): PayloadConverter {
  if (type === Buffer || type === Uint8Array) return raw;
  if (type === String) return text;
  if (isDtoType(type)) return loadDtoConverter().createDtoConverter(type, validation, where, report);
  return decoded;
}

type DtoConverterModule = typeof import('../validation/dto-converter');

/**
 * class-validator and class-transformer take ~80 ms and ~5 MB to load: require them on the first DTO
 * route only. A synchronous require, because routes are bound synchronously at boot.
 */
function loadDtoConverter(): DtoConverterModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../validation/dto-converter') as DtoConverterModule;
}
