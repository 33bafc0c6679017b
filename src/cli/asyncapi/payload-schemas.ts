import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { Class, ParamArgs } from '../../metadata/types';
import { isDtoType } from '../../validation/dto-type';

/** A JSON Schema, as plain data. */
export type JsonSchema = Record<string, unknown>;

const SCHEMA_PREFIX = '#/components/schemas/';

/**
 * class-transformer's metadata (`@Type(() => Nested)` on arrays), which class-validator-jsonschema needs
 * for nested DTOs. The package ships no declaration for this file, only for its types folder.
 */
function transformerMetadata(): MetadataStorage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage })
    .defaultMetadataStorage;
}

/**
 * Payload schemas of routes, derived from the class-validator decorators of their `@Payload()` DTOs by
 * class-validator-jsonschema. DTO schemas (and the nested DTOs they reference) go to
 * `components.schemas`; routes point at them with `$ref`.
 *
 * @example
 * ```ts
 * const schemas = new PayloadSchemas();
 * schemas.forParams(route.params); // { $ref: '#/components/schemas/SensorReadingDto' }
 * schemas.components; // { SensorReadingDto: { type: 'object', properties: {...} } }
 * ```
 */
export class PayloadSchemas {
  readonly components: Record<string, JsonSchema> = {};
  #all: Record<string, JsonSchema> | undefined;

  /** The payload schema of a handler: its DTO, a string, bytes, or any JSON. */
  forParams(params: readonly ParamArgs[]): JsonSchema {
    // A batch route's messages are its items: the @Batch() DTO describes each one.
    const payload = params.find((p) => p.kind === 'payload' || p.kind === 'batch');
    const type = payload?.kind === 'payload' || payload?.kind === 'batch' ? payload.type : undefined;
    if (type === String) return { type: 'string' };
    if (type === Buffer || type === Uint8Array) return { type: 'string', format: 'binary' };
    if (!isDtoType(type)) return { description: 'JSON, or raw bytes when the payload is not JSON' };
    return this.#dto(type);
  }

  #dto(type: Class): JsonSchema {
    this.#all ??= validationMetadatasToSchemas({
      refPointerPrefix: SCHEMA_PREFIX,
      classTransformerMetadataStorage: transformerMetadata(),
    }) as Record<string, JsonSchema>;
    if (!this.#all[type.name]) return { type: 'object', title: type.name };
    this.#include(type.name);
    return { $ref: `${SCHEMA_PREFIX}${type.name}` };
  }

  /** Adds a schema and, transitively, the schemas it references. */
  #include(name: string): void {
    const schema = this.#all?.[name];
    if (!schema || this.components[name]) return;
    // Undeclared properties fail validation by default (forbidNonWhitelisted), so the contract says so.
    this.components[name] = { additionalProperties: false, ...schema };
    for (const ref of JSON.stringify(schema).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      this.#include(ref[1]);
    }
  }
}
