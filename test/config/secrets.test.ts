// Every secret a config loads is redacted from anything that leaves the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.ts';
import { redact } from '../../src/util/redact.ts';

test('API keys and secret-looking header values are registered for redaction; other headers are not', () => {
  loadConfigText(
    '/x/agents.yaml',
    `models:
  m:
    provider: openai
    model: gpt-4.1-mini
    apiKey: key-value-123456
    headers: { X-Api-Key: hdr-secret-123456, Proxy-Authorization: "Basic dXNlcjpwYXNz", X-Title: my-agents-app }
defaults: { model: m }
tools:
  a: { prompt: hi }
`,
    { env: {} },
  );
  assert.equal(
    redact('key-value-123456 hdr-secret-123456 Basic dXNlcjpwYXNz my-agents-app'),
    '[redacted] [redacted] [redacted] my-agents-app',
  );
});
