/**
 * The compiled DTO validator: builds the DTO instance from the parsed payload the way
 * class-transformer's `plainToInstance` does, and checks it the way class-validator's `validateSync`
 * does, for the rules a {@link ClassPlan} holds, without their generic walks over metadata.
 * class-validator stays the definition of correct: a differential test
 * (test/validation/compiled-dto.differential.spec.ts) holds the two to the same decisions.
 * @module
 */
import type { ClassPlan, CompilableOptions, PropertyPlan, RulePlan } from './dto-plan';

/** One failed rule: where, and the name class-validator gives the constraint. */
export interface RuleFailure {
  readonly path: string;
  readonly constraint: string;
}

/** The instance, and every rule it fails (none: the payload is valid). */
export interface CompiledResult {
  readonly instance: object;
  readonly failures: readonly RuleFailure[];
}

export type CompiledDto = (plain: Record<string, unknown>) => CompiledResult;

/**
 * Compiles a plan into a function of the parsed payload.
 *
 * @example
 * ```ts
 * const run = compileDto(plan, { whitelist: true, forbidNonWhitelisted: true });
 * const { instance, failures } = run(JSON.parse(text));
 * ```
 */
export function compileDto(plan: ClassPlan, options: CompilableOptions): CompiledDto {
  return (plain) => {
    const failures: RuleFailure[] = [];
    // class-validator applies the route's whitelist to nested objects too, when it validates them.
    const instance = build(plan, plain, options.whitelist ? options : undefined, failures, '');
    validateObject(plan, instance as Record<string, unknown>, failures, '');
    return { instance, failures };
  };
}

const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/**
 * `new Dto()`, then every key of the payload, as class-transformer copies them (minus what
 * class-validator's whitelist would strip or refuse, when `whitelist` is given).
 */
function build(
  plan: ClassPlan,
  plain: Record<string, unknown>,
  whitelist: CompilableOptions | undefined,
  failures: RuleFailure[],
  path: string,
): object {
  const instance = new plan.dto() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const property = plan.byName.get(key);
    if (property !== undefined) {
      const value = plain[key];
      instance[key] = property.nested
        ? toInstances(property.nested, value, whitelist, failures, at(path, key))
        : copyPlain(value);
    } else if (!skippedByTransformer(instance, key)) {
      if (whitelist === undefined) instance[key] = copyPlain(plain[key]);
      else if (whitelist.forbidNonWhitelisted)
        failures.push({ path: at(path, key), constraint: 'whitelistValidation' });
    }
  }
  return instance;
}

/** class-transformer leaves out keys naming a getter of the class or any method (`toString`). */
function skippedByTransformer(instance: Record<string, unknown>, key: string): boolean {
  const prototype = (instance.constructor as { prototype?: object } | undefined)?.prototype;
  const descriptor = prototype ? Object.getOwnPropertyDescriptor(prototype, key) : undefined;
  return (descriptor !== undefined && !descriptor.set) || instance[key] instanceof Function;
}

/** A `@Type(() => Child)` value: objects become Child instances, arrays are mapped, the rest is kept. */
function toInstances(
  plan: ClassPlan,
  value: unknown,
  whitelist: CompilableOptions | undefined,
  failures: RuleFailure[],
  path: string,
): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => toInstances(plan, item, whitelist, failures, at(path, String(index))));
  }
  if (typeof value !== 'object' || value === null) return value;
  return build(plan, value as Record<string, unknown>, whitelist, failures, path);
}

/** A deep copy of JSON as class-transformer makes it for a property without `@Type`. */
function copyPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlain);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || skippedByTransformer(copy, key)) continue;
    copy[key] = copyPlain((value as Record<string, unknown>)[key]);
  }
  return copy;
}

function validateObject(
  plan: ClassPlan,
  instance: Record<string, unknown>,
  failures: RuleFailure[],
  path: string,
): void {
  for (const property of plan.properties)
    validateProperty(property, instance[property.name], failures, at(path, property.name));
}

function validateProperty(
  property: PropertyPlan,
  value: unknown,
  failures: RuleFailure[],
  path: string,
): void {
  if (property.optional && (value === null || value === undefined)) return;
  for (const rule of property.defined) runRule(rule, value, failures, path);
  for (const rule of property.rules) runRule(rule, value, failures, path);
  if (property.nested) validateNested(property.nested, value, failures, path);
}

function runRule(rule: RulePlan, value: unknown, failures: RuleFailure[], path: string): void {
  const passed =
    rule.each && Array.isArray(value)
      ? value.map((item) => rule.check(item, rule.args)).every(Boolean)
      : rule.check(value, rule.args);
  if (!passed) failures.push({ path, constraint: rule.name });
}

/** class-validator's nested walk: arrays element by element, objects by their class, else a failure. */
function validateNested(plan: ClassPlan, value: unknown, failures: RuleFailure[], path: string): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => validateNested(plan, item, failures, at(path, String(index))));
  } else if (value instanceof Object) {
    validateObject(plan, value as Record<string, unknown>, failures, path);
  } else {
    failures.push({ path, constraint: 'nestedValidation' });
  }
}
