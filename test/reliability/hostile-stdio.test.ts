// Thousands of seeded hostile lines on the built server's stdin, in both eras: every readable request gets exactly
// one response and none is a success, stdout carries nothing but JSON-RPC, nothing reaches stderr as a stack, and
// the server still serves a real call afterwards. Plus the lines the SDK's reader alone gets wrong: one over the
// size limit, a request with no answer, requests before initialize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.ts';
import { ENVELOPE, hostileLines, isSuccess, responsesById } from './hostile.ts';

const YAML = `
models:
  offline: { provider: test }
defaults:
  model: offline
tools:
  echo:
    prompt: say {{text}}
    input:
      text: { type: string }
`;

interface Server {
  send(line: string | Buffer): void;
  /** Resolves with the response to `id` once it is on stdout. */
  answer(id: string | number): Promise<Record<string, unknown>>;
  messages(): unknown[];
  stdout(): string;
  stderr(): string;
  end(): Promise<number | null>;
  kill(): void;
}

function serve(): Server {
  const file = writeConfig(YAML);
  const child = spawn(process.execPath, [BIN, 'serve', file], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let partial = '';
  let err = '';
  const parsed: unknown[] = [];
  // The first response to each id, kept as lines arrive (looking each answer up in all messages is quadratic).
  const firstById = new Map<string, unknown>();
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    // Every line on stdout must be JSON: this throws (and fails the test) otherwise.
    for (const line of lines) {
      if (!line) continue;
      const message = JSON.parse(line) as unknown;
      parsed.push(message);
      for (const [key, [first]] of responsesById([message])) if (!firstById.has(key)) firstById.set(key, first);
    }
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.on('error', () => {});
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const messages = () => parsed;
  return {
    send: (line) => child.stdin.write(Buffer.concat([Buffer.from(line), Buffer.from('\n')])),
    answer: (id) =>
      new Promise((resolve, reject) => {
        const look = () => {
          const found = firstById.get(JSON.stringify(id));
          if (found) return resolve(found as Record<string, unknown>);
          if (child.exitCode !== null) return reject(new Error(`server exited ${child.exitCode}: ${err}`));
          waiters.push(look);
        };
        // Bounded: a request never answered fails the test instead of hanging it.
        const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(id)}`)), 20_000);
        timer.unref();
        look();
      }),
    messages,
    stdout: () => out,
    stderr: () => err,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
    end: async () => {
      child.stdin.end();
      return exited;
    },
  };
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 'init',
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } },
});

for (const era of ['2025', 'modern'] as const) {
  test(`stdio (${era} era): 2,000 seeded hostile lines, one response per request, no success, still serving`, async (t) => {
    const modern = era === 'modern';
    const server = serve();
    t.after(server.kill);
    if (!modern) {
      server.send(INITIALIZE);
      await server.answer('init');
      server.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    } else {
      // The connection is pinned to the modern era by its first modern request.
      server.send(JSON.stringify({ jsonrpc: '2.0', id: 'open', method: 'tools/list', params: { _meta: ENVELOPE } }));
      assert.ok('result' in (await server.answer('open')));
    }
    const lines = hostileLines(modern ? 7 : 12, 2000, { modern, toolName: 'echo' });
    for (const line of lines) server.send(line.bytes);
    const meta = modern ? { _meta: ENVELOPE } : {};
    server.send(
      JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, ...meta } }),
    );
    const last = await server.answer('last');
    assert.ok(isSuccess(last), JSON.stringify(last));
    // Every message was read in order before the last one was answered; answers to slower calls may still be coming.
    const expected = new Map<string, number>();
    for (const line of lines) for (const id of line.ids) expected.set(JSON.stringify(id), (expected.get(JSON.stringify(id)) ?? 0) + 1);
    const missing: string[] = [];
    for (const [id] of expected)
      await server
        .answer(JSON.parse(id) as number)
        .catch(() => missing.push(`${id} (${lines.find((l) => l.ids.map((i) => JSON.stringify(i)).includes(id))?.kind})`));
    assert.deepEqual(missing, []);

    const byId = responsesById(server.messages());
    for (const [id, count] of expected) {
      const got = byId.get(id) ?? [];
      assert.equal(got.length, count, `id ${id}: ${count} request(s), ${got.length} response(s)`);
      for (const r of got) assert.ok(!isSuccess(r), `a hostile request succeeded: ${JSON.stringify(r).slice(0, 300)}`);
    }
    const unexpected = [...byId.keys()].filter((id) => !expected.has(id) && !['null', '"init"', '"open"', '"last"'].includes(id));
    assert.deepEqual(unexpected, []);
    for (const r of byId.get('null') ?? []) assert.ok('error' in (r as object));
    assert.doesNotMatch(server.stderr(), /\n\s+at /, 'no stack trace on stderr');
    assert.equal(await server.end(), 0);
  });
}

test('stdio: a line over 10 MiB is refused with an error and the server keeps serving (it used to exit 0 silently)', async (t) => {
  const server = serve();
  t.after(server.kill);
  server.send(INITIALIZE);
  await server.answer('init');
  server.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping', params: { x: 'a'.repeat(11 * 1024 * 1024) } }));
  server.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }));
  assert.deepEqual(await server.answer(3), { jsonrpc: '2.0', id: 3, result: {} });
  assert.deepEqual(server.messages()[1], {
    jsonrpc: '2.0',
    id: null,
    error: { code: -32600, message: 'Invalid Request: a message must not exceed 10485760 bytes' },
  });
  assert.match(server.stderr(), /agent-mcp warning: stdio: a message over 10485760 bytes was refused/);
  assert.equal(await server.end(), 0);
});

test('stdio: requests the SDK would drop in silence each get one error; invalid params are -32602 in one line', async (t) => {
  const server = serve();
  t.after(server.kill);
  server.send(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'tools/list' }));
  server.send(JSON.stringify({ jsonrpc: '2.0', id: 'p', method: 'ping' }));
  assert.deepEqual(await server.answer(0), {
    jsonrpc: '2.0',
    id: 0,
    error: { code: -32600, message: 'Invalid Request: tools/list before initialize (send initialize first)' },
  });
  assert.deepEqual(await server.answer('p'), { jsonrpc: '2.0', id: 'p', result: {} });
  server.send(INITIALIZE);
  await server.answer('init');
  const call = (id: number, params: unknown) => server.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }));
  call(1, { name: 'echo', arguments: { text: 'x' }, _meta: { progressToken: null } });
  call(2, 'x');
  call(3, { name: 'echo', arguments: { text: 'x' }, _meta: 'x' });
  call(4, { name: 5 });
  server.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list', params: { cursor: 5 } }));
  server.send('{"jsonrpc":"2.0","id":6,');
  server.send(JSON.stringify([{ jsonrpc: '2.0', id: 7, method: 'ping' }]));
  const error = async (id: number) => ((await server.answer(id)) as { error: unknown }).error;
  assert.deepEqual(await error(1), { code: -32602, message: 'Invalid params: params._meta.progressToken must be a string or a number' });
  assert.deepEqual(await error(2), { code: -32602, message: 'Invalid params: params must be an object' });
  assert.deepEqual(await error(3), { code: -32602, message: 'Invalid params: params._meta must be an object' });
  assert.deepEqual(await error(4), {
    code: -32602,
    message: 'Invalid params for tools/call: params.name: Invalid input: expected string, received number',
  });
  assert.deepEqual(await error(5), {
    code: -32602,
    message: 'Invalid params for tools/list: params.cursor: Invalid input: expected string, received number',
  });
  assert.deepEqual(await error(7), {
    code: -32600,
    message: 'Invalid Request: JSON-RPC batches are not supported; send one message per line',
  });
  const parseErrors = server.messages().filter((m) => (m as { id?: unknown }).id === null);
  assert.deepEqual(parseErrors, [{ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: Invalid JSON' } }]);
  assert.equal(await server.end(), 0);
});
