// The per-session event store behind Last-Event-ID: replays one stream's events after a given one, stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { SessionEventStore } from '../../src/server/http/event-store.ts';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 1, progress: n },
});

async function replay(store: SessionEventStore, after: string): Promise<[string, string[]]> {
  const sent: string[] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) => void sent.push(`${id}=${JSON.stringify((message as { params?: unknown }).params ?? message)}`),
  });
  return [stream, sent];
}

test('replays only the events of the same stream after the given id, without priming events', async () => {
  const store = new SessionEventStore();
  const priming = await store.storeEvent('s1', {} as JSONRPCMessage);
  const a = await store.storeEvent('s1', note(1));
  await store.storeEvent('s2', note(99));
  await store.storeEvent('s1', note(2));
  await store.storeEvent('s1', note(3));
  assert.equal(priming, 's1_1');
  assert.equal(await store.getStreamIdForEventId(a), 's1');
  assert.deepEqual(await replay(store, a), ['s1', ['s1_4={"progressToken":1,"progress":2}', 's1_5={"progressToken":1,"progress":3}']]);
  assert.deepEqual(await replay(store, priming), [
    's1',
    ['s1_2={"progressToken":1,"progress":1}', 's1_4={"progressToken":1,"progress":2}', 's1_5={"progressToken":1,"progress":3}'],
  ]);
});

test('unknown or future ids name no stream', async () => {
  const store = new SessionEventStore();
  await store.storeEvent('s1', note(1));
  for (const id of ['nope', 's1_2', 's1_0', 's1_x', '_1']) assert.equal(await store.getStreamIdForEventId(id), undefined, id);
  await assert.rejects(store.replayEventsAfter('s1_9', { send: async () => {} }), /unknown event id s1_9/);
});

test('bounded by count and by bytes: the oldest events go first', async () => {
  const byCount = new SessionEventStore({ maxEvents: 3, maxBytes: 1e9 });
  for (let i = 1; i <= 200; i++) await byCount.storeEvent('s', note(i));
  assert.equal(byCount.size.events, 3);
  assert.deepEqual(
    (await replay(byCount, 's_1'))[1].map((e) => e.split('=')[0]),
    ['s_198', 's_199', 's_200'],
  );

  const byBytes = new SessionEventStore({ maxEvents: 1000, maxBytes: 1000 });
  for (let i = 1; i <= 100; i++) await byBytes.storeEvent('s', note(i));
  assert.ok(byBytes.size.bytes <= 1000, `${byBytes.size.bytes} bytes`);
  assert.ok(byBytes.size.events >= 10 && byBytes.size.events < 100);
  // One event bigger than the whole budget (a large result) went out live and is not kept: nothing stays.
  const big = await byBytes.storeEvent('s', { jsonrpc: '2.0', method: 'big', params: { pad: 'x'.repeat(5000) } });
  assert.deepEqual(byBytes.size, { events: 0, bytes: 0 });
  assert.deepEqual((await replay(byBytes, 's_1'))[1], []);
  assert.equal(await byBytes.getStreamIdForEventId(big), 's');
});
