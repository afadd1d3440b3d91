// `serve --watch` for 2026-07-28 clients: no session to notify, so a reload reaches them on the subscription the
// SDK client opens (subscriptions/listen), over stdio and over HTTP alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.ts';
import { startHttp } from '../server/http-helpers.ts';

const V1 = `
models:
  offline: { provider: test }
defaults:
  model: offline
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
`;
const V2 = `${V1}
  critic:
    prompt: review {{poem}}
    input: { poem: { type: string } }
`;

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(predicate(), `timed out waiting for ${what}`);
}

async function watchScenario(file: string, transport: Transport): Promise<void> {
  const seen: string[][] = [];
  const client = new Client(
    { name: 'watch-modern', version: '1.0.0' },
    {
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      listChanged: { tools: { onChanged: (_err, tools) => void seen.push((tools ?? []).map((t) => t.name)) } },
    },
  );
  await client.connect(transport);
  try {
    assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['poet'],
    );
    await new Promise((r) => setTimeout(r, 200)); // the subscription opens after connect
    writeFileSync(file, V2);
    await until(() => seen.length > 0, 'tools/list_changed');
    assert.deepEqual(seen.at(-1), ['poet', 'critic']);
  } finally {
    await client.close();
  }
}

test('stdio, 2026-07-28: a reload reaches the client on its subscription', async () => {
  const file = writeConfig(V1);
  await watchScenario(
    file,
    new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', file, '--watch'], env: cleanEnv(), stderr: 'ignore' }),
  );
});

test('http, 2026-07-28: a reload reaches the client on its subscription', async () => {
  const server = await startHttp(['--watch'], { yaml: V1 });
  try {
    const file = /serve (\S+) --http/.exec(server.child.spawnargs.join(' '))![1]!;
    await watchScenario(file, new StreamableHTTPClientTransport(new URL(server.url)));
  } finally {
    await server.stop();
  }
});
