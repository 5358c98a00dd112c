type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A schema that rejects unknown fields, as the API server does with strict field validation
 * (kubectl's default): every object schema that lists its properties and says nothing else about
 * extra ones gets `additionalProperties: false`, unless it keeps unknown fields on purpose
 * (`x-kubernetes-preserve-unknown-fields`). Maps (labels, annotations, data) keep their value
 * schema. Also reads the CRD dialect: `x-kubernetes-int-or-string` becomes integer-or-string.
 */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!isSchema(schema)) return schema;
  const result: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isSchema(value)) {
      result.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, strictSchema(withoutPropertyRequired(property))]));
    } else if (key === 'definitions' && isSchema(value)) {
      result.definitions = Object.fromEntries(Object.entries(value).map(([name, definition]) => [name, strictSchema(definition)]));
    } else {
      result[key] = strictSchema(value);
    }
  }
  if (result['x-kubernetes-int-or-string'] === true) {
    delete result.type;
    result.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const keepsUnknownFields = result['x-kubernetes-preserve-unknown-fields'] === true;
  if (result.properties && !keepsUnknownFields && (result.additionalProperties === undefined || result.additionalProperties === true)) {
    result.additionalProperties = false;
  }
  return result;
}

/** fabric8 marks apiVersion and kind `required: true` (the draft-03 form), which draft-07 validators cannot read. */
function withoutPropertyRequired(property: unknown): unknown {
  if (!isSchema(property) || typeof property.required !== 'boolean') return property;
  const { required: _ignored, ...rest } = property;
  return rest;
}
