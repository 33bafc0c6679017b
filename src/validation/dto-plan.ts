/**
 * The DTO compiler's front: reads what class-validator and class-transformer recorded for a DTO and
 * returns a plan the compiled validator (compiled-dto.ts) runs, or the reason it cannot express the
 * DTO exactly, in which case the route keeps class-transformer + class-validator (docs/validation.md).
 * @module
 */
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { Class } from '../metadata/types';
import { isDtoType } from './dto-type';
import { isKnownRule, isOptionalCondition, type ConstraintInstance, type RuleCheck } from './known-rules';

/**
 * class-transformer's own metadata (@Type, @Transform, @Expose): the package has no export of it, and
 * no exports map that forbids the deep require.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerMetadata;
};

/** One rule of a property, ready to run. */
export interface RulePlan {
  readonly name: string;
  readonly each: boolean;
  readonly check: RuleCheck;
  readonly args: ValidationArguments;
}

export interface PropertyPlan {
  readonly name: string;
  /** `@IsOptional()`: null and undefined skip every rule of the property. */
  readonly optional: boolean;
  /** `@IsDefined()` rules, run before the others (as class-validator does). */
  readonly defined: readonly RulePlan[];
  readonly rules: readonly RulePlan[];
  /** `@ValidateNested()` with `@Type(() => Child)`: the child's plan. */
  readonly nested: ClassPlan | undefined;
}

export interface ClassPlan {
  readonly dto: new () => object;
  /** In class-validator's order (its grouping by property name). */
  readonly properties: PropertyPlan[];
  /** Every property with a rule (whitelisted), to its plan. */
  readonly byName: Map<string, PropertyPlan>;
}

/** The options of a route's validation that the compiler honours; others make it step aside. */
export interface CompilableOptions {
  readonly whitelist: boolean;
  readonly forbidNonWhitelisted: boolean;
}

/** A plan, or why there is none (for the start log). */
export type PlanResult = { readonly plan: ClassPlan } | { readonly reason: string };

/**
 * Plans the compiled validation of `dto`.
 *
 * @example
 * ```ts
 * const result = planDto(ReadingDto);
 * if ('reason' in result) logger.info(`ReadingDto uses class-validator: ${result.reason}`);
 * ```
 */
export function planDto(dto: Class): PlanResult {
  try {
    return { plan: planClass(dto as unknown as new () => object, new Map()) };
  } catch (error) {
    if (error instanceof NotCompilable) return { reason: error.message };
    throw error;
  }
}

class NotCompilable extends Error {}

function planClass(dto: new () => object, planned: Map<unknown, ClassPlan>): ClassPlan {
  const existing = planned.get(dto);
  if (existing) return existing;
  checkTransformerMetadata(dto);
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false, undefined);
  if (metadatas.length === 0) throw new NotCompilable(`${dto.name} has no rules`);
  const plan: ClassPlan = { dto, properties: [], byName: new Map() };
  planned.set(dto, plan);
  const grouped = storage.groupByPropertyName(metadatas);
  for (const name of Object.keys(grouped)) {
    const property = planProperty(dto, name, grouped[name], planned);
    plan.properties.push(property);
    plan.byName.set(name, property);
  }
  checkConstructor(plan);
  return plan;
}

function planProperty(
  dto: new () => object,
  name: string,
  metadatas: readonly ValidationMetadata[],
  planned: Map<unknown, ClassPlan>,
): PropertyPlan {
  let optional = false;
  const defined: RulePlan[] = [];
  const rules: RulePlan[] = [];
  let nested: ClassPlan | undefined;
  for (const metadata of metadatas) {
    const where = `${dto.name}.${name}`;
    if ((metadata.groups?.length ?? 0) > 0 || metadata.always !== undefined) {
      throw new NotCompilable(`${where} uses validation groups`);
    }
    if ((metadata as { validateIf?: unknown }).validateIf)
      throw new NotCompilable(`${where} has a validateIf option`);
    switch (metadata.type) {
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.CONDITIONAL_VALIDATION:
        if (!isOptionalCondition(metadata.name, metadata.constraints[0])) {
          throw new NotCompilable(`${where} has a @ValidateIf condition`);
        }
        optional = true;
        break;
      case ValidationTypes.IS_DEFINED:
        defined.push(rulePlan(metadata, where));
        break;
      case ValidationTypes.CUSTOM_VALIDATION:
        rules.push(rulePlan(metadata, where));
        break;
      case ValidationTypes.NESTED_VALIDATION:
        if (nested) throw new NotCompilable(`${where} has @ValidateNested twice`);
        nested = planClass(nestedType(dto, name, where), planned);
        break;
      default:
        throw new NotCompilable(`${where} has a ${metadata.type} rule`);
    }
  }
  if (!nested && defaultMetadataStorage.findTypeMetadata(dto, name)) {
    // Without @ValidateNested, @Type converts values (@Type(() => Number)): class-transformer's work.
    throw new NotCompilable(`${dto.name}.${name} has @Type without @ValidateNested`);
  }
  return { name, optional, defined, rules, nested };
}

function rulePlan(metadata: ValidationMetadata, where: string): RulePlan {
  const constraints = getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls);
  if (constraints.length !== 1)
    throw new NotCompilable(`${where} has a rule with ${constraints.length} constraint classes`);
  const [constraint] = constraints;
  const instance = constraint.instance as ConstraintInstance;
  const each = metadata.each === true;
  const values = (metadata.constraints ?? []) as unknown[];
  if (constraint.async || !isKnownRule(constraint.name, each, instance, values)) {
    throw new NotCompilable(
      `${where} has a rule the compiler does not know (${constraint.name || metadata.type})`,
    );
  }
  return {
    name: constraint.name,
    each,
    check: (value, args) => instance.validate(value, args),
    args: {
      value: undefined,
      constraints: values,
      targetName: '',
      object: {},
      property: metadata.propertyName,
    },
  };
}

/** The class of a `@ValidateNested()` property, from class-transformer's `@Type(() => Child)`. */
function nestedType(dto: new () => object, name: string, where: string): new () => object {
  const type = defaultMetadataStorage.findTypeMetadata(dto, name);
  if (!type) throw new NotCompilable(`${where} has @ValidateNested() without @Type(() => Child)`);
  if (type.options?.discriminator) throw new NotCompilable(`${where} has a @Type discriminator`);
  if (type.reflectedType === Set || type.reflectedType === Map)
    throw new NotCompilable(`${where} is a Set or Map`);
  const child = type.typeFunction({ newObject: {}, object: {}, property: name }) as unknown;
  if (!isDtoType(child as Class)) throw new NotCompilable(`${where} has @Type of a built-in type`);
  return child as new () => object;
}

/** @Expose, @Exclude and @Transform change what class-transformer builds: not compiled. */
function checkTransformerMetadata(dto: new () => object): void {
  const storage = defaultMetadataStorage as unknown as { _transformMetadatas?: Map<unknown, unknown> };
  const transforms = storage._transformMetadatas;
  if (!(transforms instanceof Map))
    throw new NotCompilable('class-transformer keeps its metadata differently');
  for (let target: unknown = dto; typeof target === 'function' && target !== Function.prototype;) {
    if (transforms.has(target)) throw new NotCompilable(`${dto.name} uses @Transform`);
    target = Object.getPrototypeOf(target);
  }
  if (
    defaultMetadataStorage.getExposedMetadatas(dto).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(dto).length > 0 ||
    defaultMetadataStorage.getStrategy(dto) !== 'none'
  ) {
    throw new NotCompilable(`${dto.name} uses @Expose or @Exclude`);
  }
}

/**
 * class-transformer skips payload keys that name a method or a getter, and the constructor may set
 * properties of its own: the compiled build copes with neither for a property with rules.
 */
function checkConstructor(plan: ClassPlan): void {
  let probe: Record<string, unknown>;
  try {
    probe = new plan.dto() as Record<string, unknown>;
  } catch {
    throw new NotCompilable(`${plan.dto.name}'s constructor throws without arguments`);
  }
  for (const key of Object.keys(probe)) {
    if (!plan.byName.has(key))
      throw new NotCompilable(`${plan.dto.name}'s constructor sets ${key}, which has no rule`);
  }
  const prototype = Object.getPrototypeOf(probe) as object;
  for (const name of plan.byName.keys()) {
    if (name in prototype || typeof probe[name] === 'function') {
      throw new NotCompilable(`${plan.dto.name}.${name} is also a method or accessor`);
    }
  }
}
