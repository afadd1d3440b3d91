// The SDK's Server is given our JSON Schema validator (src/server/schema-validator.ts), and the CLI bundle puts it
// in place of the SDK's own (its Node shims and their ajv copy are left out, like zod's other languages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaValidator } from '../../src/server/schema-validator.ts';
import { ROOT } from '../helpers/cli.ts';

test('the validator accepts what the schema allows and says what is wrong with the rest', () => {
  const check = schemaValidator.getValidator<{ name: string }>({
    type: 'object',
    properties: { name: { type: 'string', minLength: 2 }, email: { type: 'string', format: 'email' } },
    required: ['name'],
  });
  assert.deepEqual(check({ name: 'Ada' }), { valid: true, data: { name: 'Ada' }, errorMessage: undefined });
  const missing = check({});
  assert.equal(missing.valid, false);
  assert.equal(missing.errorMessage, 'name: is required');
  assert.equal(check({ name: 'Ada', email: 'nope' }).errorMessage, 'email: must match format "email"');
  // draft-07 schemas get that dialect, as everywhere in agent-mcp
  const draft7 = schemaValidator.getValidator({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'integer' });
  assert.equal(draft7(3).valid, true);
  assert.equal(draft7('3').valid, false);
});

test('the CLI bundle carries one ajv and only the English messages of zod', () => {
  const bundle = readFileSync(join(ROOT, 'dist/cli.cjs'), 'latin1');
  // The SDK's ajv copy brings the 2019-09 dialect, which ours does not load.
  assert.doesNotMatch(bundle, /Ajv2019/);
  assert.match(bundle, /Invalid input/); // zod's English messages are there...
  assert.doesNotMatch(bundle, /Ung(\\xFC|\\u00FC|ü)ltige Eingabe/); // ...its German ones are not
});
