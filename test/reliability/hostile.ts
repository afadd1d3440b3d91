// Seeded hostile JSON-RPC: what a broken or malicious client can put on the wire. Every generated line is a fault:
// whatever it is, the server must never answer it with a success. Lines that carry a usable request id are
// tracked: each must get exactly one response with that id.

/** A server for the HTTP abuse tests: `echo` answers at once, `stuck` never does (a call held in flight). */
export const ECHO_AND_STUCK_YAML = `
models:
  offline: { provider: test }
  stuck: { provider: test, delay: 20s }
defaults:
  model: offline
tools:
  echo:
    prompt: say {{text}}
    input:
      text: { type: string }
  stuck:
    model: stuck
    prompt: never {{text}}
    input:
      text: { type: string }
`;

export const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'hostile', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

export interface HostileLine {
  /** The bytes to send (no trailing newline). */
  bytes: Buffer;
  /** Ids of requests that must each get exactly one response (none for lines that are not readable requests). */
  ids: (string | number)[];
  kind: string;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(n: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = { d: v };
  return v;
}

/**
 * `count` hostile lines for a server whose only tool is `toolName`, in one era. Ids start at `firstId` and never
 * repeat except where a duplicate id is the point.
 */
export function hostileLines(seed: number, count: number, options: { modern: boolean; toolName: string; firstId?: number }): HostileLine[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let next = options.firstId ?? 1000;
  const meta = (extra: Record<string, unknown> = {}) => (options.modern ? { ...ENVELOPE, ...extra } : extra);
  const withMeta = (params: Record<string, unknown>) => ({ ...params, _meta: meta((params._meta as Record<string, unknown>) ?? {}) });
  const json = (value: unknown, ids: (string | number)[], kind: string): HostileLine => ({
    bytes: Buffer.from(JSON.stringify(value)),
    ids,
    kind,
  });
  const text = (s: string, ids: (string | number)[], kind: string): HostileLine => ({ bytes: Buffer.from(s), ids, kind });

  const makers: (() => HostileLine)[] = [
    // Bad JSON: never a request anyone can answer by id.
    () => text(pick(['{', '{"jsonrpc":"2.0","id":', 'nul', '{"a":1}}', '"just a string"', '42', '{"jsonrpc":"2.0",,}']), [], 'bad-json'),
    () => {
      const bytes = Buffer.alloc(1 + Math.floor(rand() * 64));
      for (let i = 0; i < bytes.length; i++) {
        const b = 1 + Math.floor(rand() * 255);
        bytes[i] = b === 10 ? 32 : b; // a newline would split the line
      }
      return { bytes, ids: [], kind: 'random-bytes' };
    },
    // Invalid UTF-8 inside a string: decodes to replacement characters, so the tool name names no tool.
    () => {
      const id = next++;
      const head = Buffer.from(`{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"`);
      const tail = Buffer.from(`","arguments":{},"_meta":${JSON.stringify(meta())}}}`);
      return { bytes: Buffer.concat([head, Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xa0, 0xa1]), tail]), ids: [id], kind: 'invalid-utf8' };
    },
    // Wrong types in the envelope.
    () => {
      const id = next++;
      const params = pick<unknown>(['x', 5, [1, 2], true, { name: options.toolName, arguments: {}, _meta: 'x' }]);
      return json({ jsonrpc: '2.0', id, method: 'tools/call', params }, [id], 'wrong-params');
    },
    () => {
      const id = next++;
      const token = pick<unknown>([null, {}, [], true, { x: 1 }]);
      return json(
        {
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name: options.toolName, arguments: { text: 'x' }, _meta: meta({ progressToken: token }) },
        },
        [id],
        'bad-progress-token',
      );
    },
    () => {
      const id = next++;
      const params = pick<Record<string, unknown>>([
        { name: 5 },
        { name: options.toolName, arguments: 'x' },
        { name: options.toolName, arguments: [] },
        {},
      ]);
      return json({ jsonrpc: '2.0', id, method: 'tools/call', params: withMeta(params) }, [id], 'wrong-types');
    },
    // Arguments the tool's schema refuses: an error result, never a success.
    () => {
      const id = next++;
      const args = pick<unknown>([{}, { text: 5 }, { text: null }, { text: ['a'] }, { nope: 'x' }]);
      return json(
        { jsonrpc: '2.0', id, method: 'tools/call', params: withMeta({ name: options.toolName, arguments: args }) },
        [id],
        'bad-arguments',
      );
    },
    () => {
      const id = next++;
      const method = pick(['nope', 'tools/nope', 'resources/read', '', 'initialize/x', '__proto__', 'constructor', 'rpc.discover']);
      return json({ jsonrpc: '2.0', id, method, params: withMeta({}) }, [id], 'unknown-method');
    },
    () => {
      const id = next++;
      const name = pick(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'nope']);
      return json({ jsonrpc: '2.0', id, method: 'tools/call', params: withMeta({ name, arguments: {} }) }, [id], 'prototype-tool');
    },
    () => {
      const id = next++;
      const s = `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${options.toolName}","arguments":{"__proto__":{"text":"polluted"},"constructor":{"prototype":{"text":"x"}}},"_meta":${JSON.stringify(meta())}}}`;
      return text(s, [id], 'prototype-keys');
    },
    // Huge and deep values.
    () => {
      const id = next++;
      return json(
        {
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: withMeta({ name: 'x'.repeat(100_000 + Math.floor(rand() * 100_000)), arguments: {} }),
        },
        [id],
        'huge-name',
      );
    },
    () => {
      const id = next++;
      return json(
        {
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: withMeta({ name: options.toolName, arguments: { text: deep(500 + Math.floor(rand() * 1500)) } }),
        },
        [id],
        'deep-arguments',
      );
    },
    // Bad ids: not answerable by id (answered with id null, or dropped).
    () =>
      json(
        { jsonrpc: '2.0', id: pick<unknown>([null, {}, [], true]), method: 'tools/call', params: withMeta({ name: options.toolName }) },
        [],
        'bad-id',
      ),
    () => json({ jsonrpc: '1.0', method: 'tools/list', params: withMeta({}) }, [], 'bad-version-notification'),
    // Notifications nobody expects, and responses to requests never sent: no answer at all.
    () =>
      json(
        {
          jsonrpc: '2.0',
          method: pick(['notifications/nope', 'notifications/cancelled', 'notifications/progress']),
          params: pick<unknown>([{}, 'x', { requestId: 'nope' }]),
        },
        [],
        'stray-notification',
      ),
    () => json({ jsonrpc: '2.0', id: next++, result: { x: 1 } }, [], 'stray-response'),
    // Duplicate ids: two requests, two answers, both errors.
    () => {
      const id = next++;
      const one = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: withMeta({ name: 'nope', arguments: {} }) });
      return text(`${one}\n${one}`, [id, id], 'duplicate-id');
    },
    // Batches (MCP has none): each request in one gets an error.
    () => {
      const a = next++;
      const b = next++;
      return json(
        [
          { jsonrpc: '2.0', id: a, method: 'tools/call', params: withMeta({ name: options.toolName, arguments: { text: 'x' } }) },
          { jsonrpc: '2.0', id: b, method: 'tools/list', params: withMeta({}) },
          { jsonrpc: '2.0', method: 'notifications/initialized' },
        ],
        [a, b],
        'batch',
      );
    },
  ];
  const lines: HostileLine[] = [];
  for (let i = 0; i < count; i++) lines.push(pick(makers)());
  return lines;
}

/** JSON-RPC responses in a stream of lines or SSE data, by id ('null' for id null). */
export function responsesById(messages: unknown[]): Map<string, unknown[]> {
  const byId = new Map<string, unknown[]>();
  for (const m of messages) {
    if (typeof m !== 'object' || m === null || 'method' in m || !('id' in m)) continue;
    const key = JSON.stringify((m as { id: unknown }).id);
    byId.set(key, [...(byId.get(key) ?? []), m]);
  }
  return byId;
}

/** A success: a result that is not a tool's error result. */
export function isSuccess(response: unknown): boolean {
  const r = response as { result?: { isError?: boolean } };
  return r.result !== undefined && r.result.isError !== true;
}
