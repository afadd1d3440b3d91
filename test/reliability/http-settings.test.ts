// The HTTP limits as a user sets them: --max-connections / server.http.maxConnections and --session-memory /
// server.http.sessionMemory, validated (flags in-process through the real commander set-up; file keys in
// broken-configs.test.ts), the flag over the file, and the connection cap from the file answering 503 over it and
// serving again once sockets close.
import assert from 'node:assert/strict';
import { connect as connectTcp, type Socket } from 'node:net';
import { test } from 'node:test';
import { Command } from 'commander';
import { Runtime } from '../../src/agent/runtime.ts';
import { addHttpOptions, httpFlags } from '../../src/cli-http.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { resolveHttpOptions, startHttpServer } from '../../src/server/http.ts';
import { exchange } from './http-client.ts';

/** The serve command's HTTP flags, parsed as the CLI parses them; a usage error comes back as its message. */
function parse(args: string[]): ReturnType<typeof httpFlags> | string {
  const command = addHttpOptions(new Command('serve'))
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    command.parse(args, { from: 'user' });
    return httpFlags(command);
  } catch (err) {
    return (err as Error).message;
  }
}

const config = (http: string) =>
  loadConfigText('/virtual/agents.yaml', `server:\n  http: ${http}\ntools:\n  a: { model: test, prompt: hi }\n`, { env: {} });

test('--max-connections and --session-memory: parsed, validated, over the file; the file alone; the defaults', () => {
  const flags = parse(['--http', '--max-connections', '64', '--session-memory', '16mb']);
  assert.ok(typeof flags === 'object');
  assert.equal(flags?.maxConnections, 64);
  assert.equal(flags?.sessionMemoryBytes, 16 * 1024 * 1024);

  const file = config('{ maxConnections: 100, sessionMemory: 8mb }').server.http;
  const both = resolveHttpOptions(file, flags!);
  assert.deepEqual([both.maxConnections, both.sessionMemoryBytes], [64, 16 * 1024 * 1024]);
  const fileOnly = resolveHttpOptions(file, parse(['--http']) as NonNullable<ReturnType<typeof httpFlags>>);
  assert.deepEqual([fileOnly.maxConnections, fileOnly.sessionMemoryBytes], [100, 8 * 1024 * 1024]);
  const defaults = resolveHttpOptions({}, {});
  assert.deepEqual([defaults.maxConnections, defaults.sessionMemoryBytes], [512, 64 * 1024 * 1024]);

  assert.equal(
    parse(['--http', '--max-connections', '0']),
    "error: option '--max-connections <n>' argument '0' is invalid. expected a whole number from 1 to 1000000",
  );
  assert.equal(
    parse(['--http', '--max-connections', 'lots']),
    "error: option '--max-connections <n>' argument 'lots' is invalid. expected a whole number from 1 to 1000000",
  );
  assert.equal(
    parse(['--http', '--session-memory', '0']),
    "error: option '--session-memory <size>' argument '0' is invalid. expected a size above 0",
  );
  assert.equal(
    parse(['--http', '--session-memory', 'lots']),
    `error: option '--session-memory <size>' argument 'lots' is invalid. not a size: "lots" (use e.g. 4mb, 512kb)`,
  );
  assert.equal(parse(['--max-connections', '5']), 'serve: --max-connections only applies with --http');
  assert.equal(parse(['--session-memory', '5mb']), 'serve: --session-memory only applies with --http');
});

test('the connection cap from the file: a request beyond it gets 503 and its connection closes; served again once sockets close', async (t) => {
  const cfg = config('{ port: 0, maxConnections: 2 }');
  const log = new Logger({ level: 'error', format: 'text', write: () => {} });
  const server = await startHttpServer({ runner: new Runtime(cfg, { log }), log }, resolveHttpOptions(cfg.server.http, {}), log);
  t.after(() => server.stop());
  const health = new URL('/healthz', server.url).href;
  const { hostname, port } = new URL(server.url);
  const idle = await Promise.all(
    [1, 2].map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const s = connectTcp(Number(port), hostname, () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  const over = exchange(health, 'GET', {});
  const refused = await over.done;
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.connection, 'close');
  assert.deepEqual(refused.messages, [
    { jsonrpc: '2.0', error: { code: -32000, message: 'Service Unavailable: too many connections' }, id: null },
  ]);
  for (const s of idle) s.destroy();
  // The server counts a socket out when it sees the close, a moment later: retry (a bounded number of times) until
  // a request gets through.
  const statuses: number[] = [];
  while (statuses.at(-1) !== 200 && statuses.length < 1000) statuses.push((await exchange(health, 'GET', {}).done).status);
  assert.equal(statuses.at(-1), 200);
  assert.deepEqual(new Set(statuses.slice(0, -1)), new Set(statuses.length > 1 ? [503] : []));
});
