// Session churn and abandonment over 2025-era HTTP, in-process on a real loopback port: clients that open sessions
// and never end them, that vanish after initialize, mid-call, mid-stream or with a standalone GET stream open, and
// more of them than the session cap. The server keeps serving, answers each request once, and once the TTL has
// passed (on fake time: the sweeper's interval and Date are mocked) holds nothing: no session, no call in flight,
// no retained byte. Then the process-wide memory budget for what sessions retain (--session-memory).
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { type HttpServerHandle, resolveHttpOptions, startHttpServer } from '../../src/server/http.ts';
import type { HttpOptions } from '../../src/server/http/options.ts';
import { exchange, openSession, post, responsesTo, until } from './http-client.ts';
import { ENVELOPE, ECHO_AND_STUCK_YAML as YAML, isSuccess } from './hostile.ts';

const TTL = 60_000;

async function start(logs: string[], extra: Partial<HttpOptions> = {}): Promise<HttpServerHandle> {
  const config = loadConfigText('/virtual/agents.yaml', YAML, { env: {} });
  const log = new Logger({ level: 'info', format: 'text', write: (line) => logs.push(line) });
  const runner = new Runtime(config, { log });
  // A dropped POST stream gets 1 ms (5 s by default) to be resumed before its call is cancelled.
  return startHttpServer({ runner, log }, { ...resolveHttpOptions({}, { port: 0, sessionTtlMs: TTL }), resumeGraceMs: 1, ...extra }, log);
}

const call = (id: number, name: string, text: string, progressToken?: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: { text }, ...(progressToken !== undefined && { _meta: { progressToken } }) },
});

test('sessions abandoned every way, and over the cap: each request answered once, still serving, nothing held after the TTL', async (t) => {
  // Only the sweeper's interval and the clock are fake: sockets, the SDK and the resume grace run on real time.
  mock.timers.enable({ apis: ['Date', 'setInterval'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const logs: string[] = [];
  const server = await start(logs, { maxSessions: 40 });
  t.after(() => server.stop());
  const { url } = server;

  // 20 sessions opened and never ended, each after one answered call.
  const idle = await Promise.all(Array.from({ length: 20 }, (_, i) => openSession(url, `idle-${i}`)));
  const answers = await Promise.all(idle.map((h, i) => post(url, call(1, 'echo', `hello ${i}`), h)));
  for (const [i, a] of answers.entries()) {
    assert.equal(a.status, 200);
    assert.equal(responsesTo(a.messages, 1).length, 1, 'one response per request');
    assert.deepEqual((responsesTo(a.messages, 1)[0] as { result: { content: unknown } }).result.content, [
      { type: 'text', text: `test model received: say hello ${i}` },
    ]);
  }

  // 5 clients that vanish right after initialize (not even notifications/initialized).
  for (let i = 0; i < 5; i++) {
    const init = exchange(
      url,
      'POST',
      {},
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'gone', version: '1' } },
      }),
    );
    await init.firstMessage;
    init.vanish();
  }

  // 5 that vanish mid-call (the call is waiting on its model) and 5 mid-stream (after the call's first progress event).
  const before = logs.length;
  for (const midStream of [false, true]) {
    for (let i = 0; i < 5; i++) {
      const h = await openSession(url, 'vanishing');
      const x = exchange(url, 'POST', h, JSON.stringify(call(2, 'stuck', 'x', midStream ? 7 : undefined)));
      if (midStream) {
        const first = (await x.firstMessage) as { method?: string; params?: { progressToken?: number } };
        assert.equal(first.method, 'notifications/progress');
        assert.equal(first.params?.progressToken, 7);
      } else await x.response;
      x.vanish();
    }
  }
  // Nobody resumed those streams: each call is cancelled (its provider request aborted), none stays in flight.
  await until(() => logs.slice(before).filter((l) => / call tool=stuck .*status=cancelled/.test(l)).length === 10);
  await until(() => server.stats().inflight === 0);

  // 5 sessions left with a standalone GET stream open, the client gone quiet (neither reading to the end nor closing).
  const listening = await Promise.all(Array.from({ length: 5 }, () => openSession(url, 'listener')));
  const streams = listening.map((h) => exchange(url, 'GET', h));
  for (const s of streams) assert.equal((await s.response).statusCode, 200);

  // 20 + 5 + 10 + 5 = 40: the cap. One more session is refused; a call on an open one is still served.
  assert.equal(server.stats().sessions, 40);
  const over = await post(url, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'late', version: '1' } },
  });
  assert.equal(over.status, 503);
  assert.deepEqual(over.messages, [
    { jsonrpc: '2.0', error: { code: -32000, message: 'Service Unavailable: too many sessions (at most 40)' }, id: null },
  ]);
  const served = await post(url, call(3, 'echo', 'still here'), idle[0]!);
  assert.ok(isSuccess(responsesTo(served.messages, 3)[0]), JSON.stringify(served.messages));
  assert.ok(server.stats().retainedBytes > 0, 'sessions keep their events until they end');

  // The TTL passes with nobody active: every session expires, the GET streams are closed by the server.
  mock.timers.tick(TTL + TTL / 4);
  await until(() => server.stats().sessions === 0);
  assert.deepEqual(server.stats(), { sessions: 0, inflight: 0, retainedBytes: 0 });
  for (const s of streams) assert.equal((await s.done).status, 200, 'the abandoned GET stream ended');
  const gone = await post(url, call(4, 'echo', 'anyone?'), idle[1]!);
  assert.equal(gone.status, 404);

  // And a new client is served.
  const fresh = await openSession(url, 'fresh');
  const answer = await post(url, call(5, 'echo', 'new'), fresh);
  assert.equal(responsesTo(answer.messages, 5).length, 1);
  assert.ok(isSuccess(responsesTo(answer.messages, 5)[0]));
  assert.doesNotMatch(logs.join('\n'), /\n\s+at /, 'no stack trace in the log');
});

test('over --session-memory, the sessions idle the longest are closed, and the total stays within it', async (t) => {
  mock.timers.enable({ apis: ['Date', 'setInterval'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const logs: string[] = [];
  const budget = 4096;
  const server = await start(logs, { sessionMemoryBytes: budget });
  t.after(() => server.stop());
  const { url } = server;

  // Probed with a notification: 202 or 404, and no answer for the session to keep (a request would add bytes).
  const probe = async (h: Record<string, string>) => (await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, h)).status;

  // Twelve sessions, a second apart, each with one answered call; the first is used again after the second's call.
  const sessions: Record<string, string>[] = [];
  let firstEviction: number[] | undefined;
  const closedForMemory = () => logs.reduce((n, l) => n + Number(/closed (\d+) idle sessions?: /.exec(l)?.[1] ?? 0), 0);
  let one = 0; // what one session holds: its initialize answer and one call's events
  for (let i = 0; i < 12; i++) {
    const h = await openSession(url, `s${i}`);
    sessions.push(h);
    const a = await post(url, call(1, 'echo', `number ${i}`), h);
    assert.equal(responsesTo(a.messages, 1).length, 1);
    if (i === 0) one = server.stats().retainedBytes;
    if (i === 1) {
      mock.timers.tick(500);
      assert.equal((await post(url, call(2, 'echo', 'again'), sessions[0]!)).status, 200);
    }
    assert.ok(server.stats().retainedBytes <= budget, `${server.stats().retainedBytes} bytes held after session ${i}`);
    // The budget closes sessions at once (and logs it); the close itself completes a moment later.
    await until(() => server.stats().sessions === i + 1 - closedForMemory(), 'the closed sessions to go');
    if (!firstEviction && closedForMemory() > 0) firstEviction = [await probe(sessions[0]!), await probe(sessions[1]!)];
    mock.timers.tick(1_000);
  }
  // The second session went first (idle the longest), not the first (used since).
  assert.deepEqual(firstEviction, [202, 404]);
  // Each time just enough to get back under: one session.
  assert.equal(logs.filter((l) => l.includes('idle session')).length, closedForMemory());
  const statuses = [];
  for (const h of sessions) statuses.push(await probe(h));
  // The oldest went, the newest stay: as many as fit in the budget (give or take the first, which holds more).
  const kept = statuses.filter((s) => s === 202).length;
  assert.ok(kept >= Math.floor(budget / one) - 1 && kept <= Math.floor(budget / one), `${one} bytes each: ${statuses.join(' ')}`);
  assert.deepEqual(statuses, [...Array(12 - kept).fill(404), ...Array(kept).fill(202)]);
  assert.equal(server.stats().sessions, kept);
  assert.match(logs.join(''), /agent-mcp info: closed 1 idle session: the sessions held more than the 4 KiB of --session-memory/);
  assert.ok(server.stats().retainedBytes <= budget);
});

test('over --session-memory with every session busy, a new session is refused with 503; served once a call ends', async (t) => {
  const logs: string[] = [];
  const server = await start(logs, { sessionMemoryBytes: 100 });
  t.after(() => server.stop());
  const { url } = server;

  // One session, alone over the budget (its initialize answer), with a call in flight: nothing can be closed.
  const busy = await openSession(url, 'busy');
  const running = exchange(url, 'POST', busy, JSON.stringify(call(1, 'stuck', 'x')));
  await running.response;
  const held = server.stats().retainedBytes;
  assert.ok(held > 100);
  const refused = await post(url, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'late', version: '1' } },
  });
  assert.equal(refused.status, 503);
  assert.equal(refused.headers['retry-after'], '5');
  assert.deepEqual(refused.messages, [
    {
      jsonrpc: '2.0',
      error: {
        code: -32000,
        message: `Service Unavailable: the sessions hold ${held} bytes for resumable streams, over the 100 bytes of --session-memory, and none of them is idle`,
      },
      id: null,
    },
  ]);

  // The call is cancelled: the session is idle, so the next new session closes it and is served.
  await post(url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'enough' } }, busy);
  await until(() => server.stats().inflight === 0, 'the cancelled call');
  const fresh = await openSession(url, 'fresh');
  const answer = await post(url, call(2, 'echo', 'hi'), fresh);
  assert.ok(isSuccess(responsesTo(answer.messages, 2)[0]));
  await until(() => server.stats().sessions === 1, 'the idle session to close');
  assert.equal((await post(url, { jsonrpc: '2.0', id: 3, method: 'ping' }, busy)).status, 404);
  running.vanish();
});

test('2026-07-28 clients that vanish mid-call or mid-stream: each call is cancelled at once, nothing stays in flight', async (t) => {
  const logs: string[] = [];
  const server = await start(logs);
  t.after(() => server.stop());
  const headers = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'stuck' };
  const calls = [false, true, false, true].map((midStream, i) => {
    const meta = { ...ENVELOPE, ...(midStream && { progressToken: i }) };
    const body = { ...call(i, 'stuck', 'x'), params: { ...call(i, 'stuck', 'x').params, _meta: meta } };
    return { midStream, x: exchange(server.url, 'POST', headers, JSON.stringify(body)) };
  });
  for (const { midStream, x } of calls) {
    if (midStream) assert.equal(((await x.firstMessage) as { method?: string }).method, 'notifications/progress');
    else await until(() => server.stats().inflight === calls.length, 'every call to be running');
  }
  for (const { x } of calls) x.vanish();
  await until(() => logs.filter((l) => / call tool=stuck .*status=cancelled/.test(l)).length === calls.length, 'the calls to be cancelled');
  await until(() => server.stats().inflight === 0, 'nothing in flight');
  assert.deepEqual(server.stats(), { sessions: 0, inflight: 0, retainedBytes: 0 });
});
