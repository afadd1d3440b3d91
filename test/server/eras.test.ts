// Both protocol eras on both transports: the SDK v2 client pinned to 2025 (initialize) or 2026-07-28 (per-request
// envelope), over stdio (the CLI as a child process) and Streamable HTTP (loopback). The same file serves both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, LOG_LEVEL_META_KEY, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.ts';
import { startHttp, waitForHealth, type Running } from './http-helpers.ts';

const YAML = `
server: { name: eras, version: 2.0.0 }
models:
  t: { provider: test }
  slow: { provider: test, delay: 300ms }
  stuck: { provider: test, delay: 20s }
defaults:
  model: t
tools:
  echo:
    prompt: say {{word}}
    input:
      word: { type: string }
  slow:
    model: slow
    prompt: wait for {{word}}
    input:
      word: { type: string }
  stuck:
    model: stuck
    prompt: never
prompts:
  rhyme:
    arguments:
      theme: { description: The topic, required: true, complete: [socks, sorrow, sun] }
    messages:
      - { role: user, text: "Write a rhyming poem about {{theme}}" }
`;

type Era = '2025' | '2026-07-28';
const ERAS: Era[] = ['2025', '2026-07-28'];

function client(era: Era): Client {
  return new Client({ name: 'era-tests', version: '1.0.0' }, { versionNegotiation: { mode: era === '2025' ? 'legacy' : { pin: era } } });
}

interface Side {
  connect(era: Era): Promise<Client>;
  stderr(): string;
  /** Requests in flight on the server, when it can tell (HTTP). */
  inflight?(): Promise<number>;
  close(): Promise<void>;
}

async function stdioSide(): Promise<Side> {
  const file = writeConfig(YAML);
  const clients: Client[] = [];
  let err = '';
  return {
    async connect(era) {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'serve', file, '--log-level', 'info'],
        env: cleanEnv(),
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const c = client(era);
      await c.connect(transport);
      clients.push(c);
      return c;
    },
    stderr: () => err,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

async function httpSide(): Promise<Side> {
  const server: Running = await startHttp(['--log-level', 'info'], { yaml: YAML });
  const clients: { c: Client; t: Transport }[] = [];
  return {
    async connect(era) {
      const t = new StreamableHTTPClientTransport(new URL(server.url));
      const c = client(era);
      await c.connect(t);
      clients.push({ c, t });
      return c;
    },
    stderr: server.stderr,
    inflight: async () => (await waitForHealth(server.origin, (h) => h.inflight === 0)).inflight,
    async close() {
      await Promise.all(clients.map(({ c }) => c.close()));
      await server.stop();
    },
  };
}

for (const [transport, start] of [
  ['stdio', stdioSide],
  ['http', httpSide],
] as const) {
  for (const era of ERAS) {
    test(`${transport}, ${era} era: list, call, prompts, completions, progress, logging, cancellation`, async () => {
      const side = await start();
      try {
        const c = await side.connect(era);
        assert.equal(c.getNegotiatedProtocolVersion(), era === '2025' ? '2025-11-25' : '2026-07-28');
        assert.equal(c.getServerVersion()?.name, 'eras');

        const { tools } = await c.listTools();
        assert.deepEqual(
          tools.map((t) => [t.name, t.inputSchema]),
          [
            ['echo', { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] }],
            ['slow', { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] }],
            ['stuck', { type: 'object', properties: {}, required: [] }],
          ],
        );

        const echoed = await c.callTool({ name: 'echo', arguments: { word: 'fox' } });
        assert.deepEqual(echoed.content, [{ type: 'text', text: 'test model received: say fox' }]);
        assert.deepEqual((echoed._meta as Record<string, unknown>)['agent-mcp'], {
          model: 't',
          steps: 1,
          usage: { inputTokens: 9, outputTokens: 7 },
        });
        const invalid = await c.callTool({ name: 'echo', arguments: {} });
        assert.equal(invalid.isError, true);
        assert.deepEqual(invalid.content, [{ type: 'text', text: 'Invalid arguments for tool echo: word: is required' }]);
        await assert.rejects(c.callTool({ name: 'nope', arguments: {} }), /Unknown tool: nope/);

        const { prompts } = await c.listPrompts();
        assert.deepEqual(prompts, [{ name: 'rhyme', arguments: [{ name: 'theme', description: 'The topic', required: true }] }]);
        const prompt = await c.getPrompt({ name: 'rhyme', arguments: { theme: 'socks' } });
        assert.deepEqual(prompt.messages, [{ role: 'user', content: { type: 'text', text: 'Write a rhyming poem about socks' } }]);
        await assert.rejects(c.getPrompt({ name: 'rhyme', arguments: {} }), /Missing required argument for prompt rhyme: theme/);
        const completion = await c.complete({ ref: { type: 'ref/prompt', name: 'rhyme' }, argument: { name: 'theme', value: 'so' } });
        assert.deepEqual(completion.completion, { values: ['socks', 'sorrow'], total: 2, hasMore: false });

        // Progress: the step line first, then the model's text.
        const progress: string[] = [];
        const slow = await c.callTool({ name: 'slow', arguments: { word: 'tea' } }, { onprogress: (p) => progress.push(p.message ?? '') });
        assert.deepEqual(slow.content, [{ type: 'text', text: 'test model received: wait for tea' }]);
        assert.equal(progress[0], 'step 1/10: thinking');

        // Logging: the 2025 era sets a level for the session; a modern request carries it in its own _meta.
        const logs: { level: string; data: unknown }[] = [];
        c.setNotificationHandler('notifications/message', (n) => void logs.push({ level: n.params.level, data: n.params.data }));
        if (era === '2025') {
          await c.setLoggingLevel('info');
          await c.callTool({ name: 'echo', arguments: { word: 'log' } });
        } else {
          await c.callTool({ name: 'echo', arguments: { word: 'log' }, _meta: { [LOG_LEVEL_META_KEY]: 'info' } });
          await c.callTool({ name: 'echo', arguments: { word: 'quiet' } }); // no level: nothing mirrored
        }
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(
          logs.map((l) => [l.level, (l.data as { msg: string; tool: string }).msg, (l.data as { tool: string }).tool]),
          [['info', 'call', 'echo']],
        );

        // Cancellation: the server stops the run and says so.
        const ac = new AbortController();
        let started: () => void;
        const running = new Promise<void>((r) => (started = r));
        const pending = c.callTool({ name: 'stuck', arguments: {} }, { signal: ac.signal, onprogress: () => started() });
        await running;
        ac.abort();
        await assert.rejects(pending, /abort/i);
        // Polled up to 10 s: the line comes at once, but a loaded machine may be slow to say so.
        for (let i = 0; i < 500 && !/call tool=stuck .*status=cancelled/.test(side.stderr()); i++)
          await new Promise((r) => setTimeout(r, 20));
        assert.match(side.stderr(), /agent-mcp info: call tool=stuck ms=\d+ status=cancelled\n/);
        if (side.inflight) assert.equal(await side.inflight(), 0);
      } finally {
        await side.close();
      }
    });
  }
}
