import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { type HaloOpenApiSubset, SUBSET_PATH } from '../../scripts/extract-halo-openapi';

export const haloOpenApiSubset = JSON.parse(readFileSync(SUBSET_PATH, 'utf8')) as HaloOpenApiSubset;

/** OpenAPI 3.0's `nullable` without a `type` (e.g. CustomField.value) already allows null in JSON Schema. */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = toJsonSchema(inner);
  if ('nullable' in out && !('type' in out)) delete out.nullable;
  return out;
}

const ajv = new Ajv({ strict: false, inlineRefs: false });
addFormats(ajv);
// .NET TimeSpan, which Halo's spec uses for times of day.
ajv.addFormat('date-span', /^-?(\d+\.)?\d{1,2}:\d\d(:\d\d(\.\d+)?)?$/);
ajv.addSchema(toJsonSchema({ components: haloOpenApiSubset.components }) as object, 'halo');
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** A validator for the request body of e.g. `POST /Tickets`, from Halo's published OpenAPI spec. */
export function haloRequestValidator(key: string): ReturnType<typeof ajv.compile> {
  const body = haloOpenApiSubset.requestBodies[key];
  assert.ok(body, `${key} is in the subset`);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(
      toJsonSchema(JSON.parse(JSON.stringify(body).replaceAll('"#/components', '"halo#/components'))) as object,
    );
    validators.set(key, validate);
  }
  return validate;
}

/** Asserts that `body` (the array we POST) is valid for `key`, naming Halo's complaint when it is not. */
export function assertValidHaloBody(key: string, body: unknown): void {
  const validate = haloRequestValidator(key);
  assert.equal(validate(body), true, `${key}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(body)}`);
}
