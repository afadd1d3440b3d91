// What the CLI bundle puts in place of '@modelcontextprotocol/server/_shims' (scripts/build.mjs): the same two
// names, with our validator as the default should any SDK code construct one, so the SDK's own ajv copy is left out.
export { SchemaValidator as DefaultJsonSchemaValidator } from './schema-validator.js';
export { default as process } from 'node:process';
