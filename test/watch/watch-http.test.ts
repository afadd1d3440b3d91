// `serve --http --watch`: one reload reaches every HTTP session (each has its own server instance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.js';

const V1 = 'defaults: { model: test }\ntools:\n  poet: { prompt: write }\n';
const V2 = `${V1}  critic: { prompt: review }\n`;

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a reload notifies every HTTP session', async () => {
  const file = writeConfig(V1);
  const child = spawn(process.execPath, [BIN, 'serve', file, '--http', '--port', '0', '--watch'], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const clients: Client[] = [];
  try {
    await until(() => /listening on (\S+)/.test(stderr), 'the server to listen');
    const url = /listening on (\S+)/.exec(stderr)![1]!;
    const changed = [0, 0];
    const listening = [false, false];
    for (const i of [0, 1]) {
      const client = new Client({ name: `c${i}`, version: '1.0.0' });
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed[i]!++);
      // Notifications outside a request travel on the standalone GET stream, opened after initialize: note when
      // the server has answered it, so the edit cannot race it.
      const watchGet: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'GET' && response.ok) listening[i] = true;
        return response;
      };
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: watchGet }));
      clients.push(client);
    }
    await until(() => listening[0]! && listening[1]!, 'both notification streams');
    writeFileSync(file, V2);
    await until(() => changed[0] === 1 && changed[1] === 1, `both sessions notified (${changed})`);
    for (const client of clients)
      assert.deepEqual(
        (await client.listTools()).tools.map((t) => t.name),
        ['poet', 'critic'],
      );
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});
