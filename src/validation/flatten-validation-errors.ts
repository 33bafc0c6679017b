import type { ValidationError } from 'class-validator';
import type { PayloadConstraint } from './payload-validation-error';

/**
 * Turns class-validator's error tree (nested DTOs have `children`) into one flat list of property
 * paths with their constraint messages.
 *
 * @example
 * ```ts
 * flattenValidationErrors(await validate(dto)); // [{ path: 'location.lat', constraints: { max: '...' } }]
 * ```
 */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  prefix = '',
): PayloadConstraint[] {
  const flat: PayloadConstraint[] = [];
  for (const error of errors) {
    const property = error.property ?? '';
    const path = prefix === '' ? property : property === '' ? prefix : `${prefix}.${property}`;
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      flat.push({ path, constraints: { ...error.constraints } });
    }
    if (error.children && error.children.length > 0) {
      flat.push(...flattenValidationErrors(error.children, path));
    }
  }
  return flat;
}
