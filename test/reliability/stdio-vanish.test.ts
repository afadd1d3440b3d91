// A stdio client that is killed in the middle of a call (stdin EOF mid-call is in test/server/stdio.test.ts): the
// server, now an orphan whose stdin is at EOF and whose stdout has no reader, ends at once with no stack trace.
// The client is a real process (SIGKILLed, so it closes nothing itself); the server's stderr goes to a file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.ts';

const YAML = `
models:
  slow: { provider: test, delay: 60s }
tools:
  wait:
    model: slow
    prompt: wait
`;

/** The client: starts the server, initializes, calls the slow tool with a progress token, prints the server's pid. */
const CLIENT = `
const { spawn } = require('node:child_process');
const [bin, file, errFile] = process.argv.slice(1);
const err = require('node:fs').openSync(errFile, 'w');
const server = spawn(process.execPath, [bin, 'serve', file], { stdio: ['pipe', 'pipe', err] });
const send = (m) => server.stdin.write(JSON.stringify(m) + '\\n');
let out = '';
server.stdout.on('data', (d) => {
  out += d;
  if (out.includes('"id":0') && !out.includes('sent')) {
    out += 'sent';
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait', arguments: {}, _meta: { progressToken: 1 } } });
  }
  if (out.includes('notifications/progress')) process.stdout.write(server.pid + '\\n');
});
send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'doomed', version: '1' } } });
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('stdio: the client killed mid-call (its first progress received): the orphaned server exits, no stack trace', async (t) => {
  const file = writeConfig(YAML);
  const errFile = join(file, '..', 'server-stderr.txt');
  const client = spawn(process.execPath, ['-e', CLIENT, BIN, file, errFile], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  let serverPid = 0;
  t.after(() => {
    if (client.exitCode === null) client.kill('SIGKILL');
    if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
  });
  serverPid = await new Promise<number>((resolve, reject) => {
    client.stdout.on('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    client.once('exit', (code) => reject(new Error(`client exited ${code} first`)));
  });
  assert.ok(alive(serverPid));
  client.kill('SIGKILL');
  // The server notices EOF on stdin (and a broken stdout) and ends; poll its pid (bounded: 500 x 10 ms).
  for (let i = 0; i < 500 && alive(serverPid); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(alive(serverPid), false, 'the orphaned server is gone');
  const stderr = readFileSync(errFile, 'utf8');
  assert.match(stderr, /^agent-mcp info: call tool=wait ms=\d+ status=cancelled$/m, 'the model request was aborted');
  assert.doesNotMatch(stderr, /\n\s+at |Error:|EPIPE/, stderr);
});
