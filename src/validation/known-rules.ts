/**
 * The class-validator rules the DTO compiler may run itself: those whose check is a pure function of
 * the value and the rule's constraints (`IsNumber(options)`, `Min(5)`, `IsIn([...])`...). A rule is
 * recognised by its name, its default message and its answers on sample values, all compared with the
 * rule class-validator registers for its own decorator: a custom validator that only reuses a name
 * (`isNumber`) is not taken for it.
 * @module
 */
import {
  getMetadataStorage,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  MinLength,
  type ValidationArguments,
} from 'class-validator';

/** A rule's check, as class-validator's constraint class implements it. */
export type RuleCheck = (value: unknown, args: ValidationArguments) => boolean;

/** What the compiler needs of a class-validator constraint instance. */
export interface ConstraintInstance {
  validate: RuleCheck;
  defaultMessage?: (args: ValidationArguments) => string;
}

type PropertyDecoratorFn = (target: object, propertyName: string) => void;
type Probe = (each: boolean) => PropertyDecoratorFn;

/** One decorator per rule name the compiler knows (the name class-validator reports on failure). */
const PROBES: Readonly<Record<string, Probe>> = {
  isDefined: (each) => IsDefined({ each }),
  isNumber: (each) => IsNumber({}, { each }),
  isInt: (each) => IsInt({ each }),
  isString: (each) => IsString({ each }),
  isBoolean: (each) => IsBoolean({ each }),
  min: (each) => Min(0, { each }),
  max: (each) => Max(0, { each }),
  isLength: (each) => Length(0, undefined, { each }),
  minLength: (each) => MinLength(0, { each }),
  maxLength: (each) => MaxLength(0, { each }),
  isIn: (each) => IsIn([], { each }),
  isEnum: (each) => IsEnum({}, { each }),
  isArray: (each) => IsArray({ each }),
};

/** Values a rule is tried on: a rule that answers one differently from class-validator's is not it. */
const SAMPLES: readonly unknown[] = [
  0,
  1,
  -1,
  2.5,
  1e21,
  -0,
  '',
  'a',
  'abc',
  '5',
  'ab\u{1F600}',
  true,
  false,
  null,
  undefined,
  [],
  [1, 'a'],
  {},
  { a: 1 },
];

interface Reference {
  /** `${name}/${each}` to class-validator's own constraint instance for that rule. */
  readonly rules: ReadonlyMap<string, ConstraintInstance>;
  /** The source of `@IsOptional()`'s condition. */
  readonly optional: string;
}

let reference: Reference | undefined;

/** Decorates a private probe class once with every known decorator and keeps their constraints. */
function referenceRules(): Reference {
  if (reference) return reference;
  class RuleProbe {}
  const storage = getMetadataStorage();
  for (const [name, probe] of Object.entries(PROBES)) {
    for (const each of [false, true]) probe(each)(RuleProbe.prototype, `${name}/${each}`);
  }
  IsOptional()(RuleProbe.prototype, 'optional');
  const rules = new Map<string, ConstraintInstance>();
  let optional = '';
  for (const metadata of storage.getTargetValidationMetadatas(RuleProbe, '', true, false, undefined)) {
    if (metadata.propertyName === 'optional') {
      optional = String(metadata.constraints[0]);
      continue;
    }
    const [constraint] = storage.getTargetValidatorConstraints(metadata.constraintCls);
    rules.set(metadata.propertyName, constraint.instance as ConstraintInstance);
  }
  reference = { rules, optional };
  return reference;
}

/**
 * True when `instance` is class-validator's own rule `name`: same default message and same answers
 * on every sample, given the rule's constraints.
 *
 * @example
 * ```ts
 * if (isKnownRule('isNumber', metadata.each, constraint.instance, metadata.constraints)) compile(...);
 * ```
 */
export function isKnownRule(
  name: string,
  each: boolean,
  instance: ConstraintInstance,
  constraints: unknown[],
): boolean {
  const own = referenceRules().rules.get(`${name}/${each}`);
  if (!own || typeof instance.validate !== 'function') return false;
  const args = (value: unknown): ValidationArguments => ({
    value,
    constraints,
    targetName: 'Probe',
    object: {},
    property: 'value',
  });
  try {
    if (instance.defaultMessage?.(args(undefined)) !== own.defaultMessage?.(args(undefined))) return false;
    return SAMPLES.every(
      (value) => instance.validate(value, args(value)) === own.validate(value, args(value)),
    );
  } catch {
    return false;
  }
}

/** True when a conditional rule is class-validator's own `@IsOptional()`. */
export function isOptionalCondition(name: string | undefined, condition: unknown): boolean {
  return (
    name === 'isOptional' &&
    typeof condition === 'function' &&
    String(condition) === referenceRules().optional
  );
}
