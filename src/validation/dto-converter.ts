/**
 * The DTO path of `@Payload()`: the compiled validator (compiled-dto.ts) when it can express the DTO
 * exactly, else class-transformer builds the instance and class-validator checks it. A payload the
 * compiled validator rejects goes through class-validator too, so that errors carry its messages.
 * This folder is loaded only when some route has a DTO parameter (payload-converter.ts requires it
 * lazily), so apps without DTOs never pay for the two libraries.
 * @module
 */
import { plainToInstance, type ClassConstructor, type ClassTransformOptions } from 'class-transformer';
import {
  getMetadataStorage,
  validate,
  validateSync,
  ValidationTypes,
  type ValidationError,
  type ValidatorOptions,
} from 'class-validator';
import { ConfigError, RouteMQError } from '../errors';
import type { Class, PayloadValidationOptions } from '../metadata/types';
import type { PayloadConverter } from '../pipeline/handler-arguments';
import { compiledValidatorOf, type DtoValidationReport } from './compiled-validator';
import { flattenValidationErrors } from './flatten-validation-errors';
import { PayloadValidationError } from './payload-validation-error';
import { parseJsonObject } from './safe-json';

/**
 * Builds the converter of one DTO route. Everything that does not depend on the message (option
 * objects, the check that the DTO has rules) is done here, once, at boot.
 *
 * @example
 * ```ts
 * const convert = createDtoConverter(SensorReadingDto, { forbidNonWhitelisted: false }, 'SensorController.data');
 * const reading = await convert(ctx); // a SensorReadingDto, or throws PayloadValidationError
 * ```
 */
export function createDtoConverter(
  dto: Class,
  options: PayloadValidationOptions = {},
  where: string,
  report?: (report: DtoValidationReport) => void,
): PayloadConverter {
  const decode = createDtoDecoder(dto, options, where, report);
  return (ctx) => decode(ctx.packet.payload);
}

/**
 * The same check on bytes that did not come from a message (background job data): JSON decode with
 * the prototype-key check, class-transformer, class-validator.
 *
 * @example
 * ```ts
 * const decode = createDtoDecoder(EmailDto, {}, 'job SendMail');
 * const email = await decode(Buffer.from(JSON.stringify(data)));
 * ```
 */
export function createDtoDecoder(
  dto: Class,
  options: PayloadValidationOptions,
  where: string,
  report?: (report: DtoValidationReport) => void,
): (bytes: Uint8Array) => object | Promise<object> {
  const validatorOptions = validatorOptionsOf(options);
  checkDtoHasRules(dto, validatorOptions, where);
  const compiled = compiledValidatorOf(dto, options, where);
  report?.(compiled.report);
  const fast = compiled.run;
  const transformOptions: ClassTransformOptions = Object.freeze({
    enableImplicitConversion: options.enableImplicitConversion ?? false,
  });
  const target = dto as unknown as ClassConstructor<object>;
  const verdict = (instance: object, errors: ValidationError[]): object => {
    if (errors.length > 0) throw new PayloadValidationError(where, dto.name, flattenValidationErrors(errors));
    return instance;
  };
  // validateSync gives the same verdict as validate when every rule is synchronous, without a promise
  // per message: ~0.6 µs of the ~6 µs a DTO costs (docs/benchmarks.md). It skips async rules, so any
  // doubt keeps the async path.
  const synchronous = rulesAreSynchronous(dto);
  return (bytes) => {
    const plain = parseJsonObject(bytes, where);
    if (fast) {
      const result = fast(plain);
      if (result.failures.length === 0) return result.instance;
    }
    const instance = toInstance(target, plain, transformOptions, where);
    if (synchronous) return verdict(instance, validateSync(instance, validatorOptions));
    return validate(instance, validatorOptions).then((errors) => verdict(instance, errors));
  };
}

/**
 * True when no rule of the DTO (or of its parent classes, in any group) can be asynchronous: no
 * custom constraint declared `async`, no `@ValidatePromise`, and no `@ValidateNested`, whose class,
 * and so whose rules, is only known per message.
 */
function rulesAreSynchronous(dto: Class): boolean {
  const storage = getMetadataStorage();
  // always=true and no groups: every rule of the class, whatever its groups.
  const rules = storage.getTargetValidationMetadatas(dto, '', true, false, undefined);
  return rules.every((rule) => {
    if (rule.type === ValidationTypes.NESTED_VALIDATION || rule.type === ValidationTypes.PROMISE_VALIDATION) {
      return false;
    }
    if (rule.type !== ValidationTypes.CUSTOM_VALIDATION) return true;
    return storage.getTargetValidatorConstraints(rule.constraintCls).every((constraint) => !constraint.async);
  });
}

/** class-validator options of a route (the defaults of docs/validation.md). */
export function validatorOptionsOf(options: PayloadValidationOptions): ValidatorOptions {
  return Object.freeze({
    whitelist: options.whitelist ?? true,
    forbidNonWhitelisted: options.forbidNonWhitelisted ?? true,
    forbidUnknownValues: options.forbidUnknownValues ?? true,
    skipMissingProperties: options.skipMissingProperties ?? false,
    skipNullProperties: options.skipNullProperties ?? false,
    skipUndefinedProperties: options.skipUndefinedProperties ?? false,
    stopAtFirstError: options.stopAtFirstError ?? false,
    groups: options.groups,
    // Errors must not hold the payload or its values: they are logged and dead-lettered.
    validationError: { target: false, value: false },
  });
}

/**
 * A DTO without class-validator decorators would fail every message under the default options
 * (whitelist rejects every property): say so at boot instead.
 */
function checkDtoHasRules(dto: Class, options: ValidatorOptions, where: string): void {
  if (!options.whitelist && !options.forbidUnknownValues) return;
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false, options.groups);
  if (rules.length > 0) return;
  throw new ConfigError('ERR_ROUTE_INVALID', [
    `${where}: the @Payload() type ${dto.name} has no class-validator decorators, so every message would fail validation. ` +
      `Decorate its properties (@IsNumber(), @IsString(), @IsOptional(), @Allow()...), or type the parameter with an interface to receive plain JSON. ` +
      `(If it is decorated, the decorators come from another copy of class-validator: deduplicate it with npm dedupe.)`,
  ]);
}

function toInstance(
  dto: ClassConstructor<object>,
  plain: Record<string, unknown>,
  options: ClassTransformOptions,
  where: string,
): object {
  try {
    return plainToInstance(dto, plain, options);
  } catch (error) {
    // A DTO constructor or @Transform that throws, or a payload nested deeper than the stack allows.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RouteMQError(
      'ERR_PAYLOAD_INVALID',
      `${where}: the payload could not be turned into a ${dto.name} (${reason}). Fix: send a JSON object with the fields of ${dto.name}.`,
      { cause: error },
    );
  }
}
