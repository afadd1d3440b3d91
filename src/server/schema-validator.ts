// The JSON Schema validator the SDK's Server uses (it checks the content of accepted form elicitations): ours, so
// the CLI bundle carries one ajv, not ours and the SDK's own copy (154 KB of every start), and one instance serves
// every session instead of one each.
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/server';
import { compileValidator, type JsonSchema } from '../util/json-schema.js';

export class SchemaValidator implements jsonSchemaValidator {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const validate = compileValidator(schema as JsonSchema);
    return (input) => {
      const result = validate(input);
      return result.ok
        ? { valid: true, data: input as T, errorMessage: undefined }
        : { valid: false, data: undefined, errorMessage: result.errors.join('; ') };
    };
  }
}

/** The one instance every Server gets. */
export const schemaValidator = new SchemaValidator();
