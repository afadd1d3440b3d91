// The MCP client of `call`, `test` and `dev`: the SDK v2 client, in the era asked for. With --sampling-model it
// advertises sampling with tools and answers it with a model of ours (sampling-handler.ts), as a direct request in the 2025 era or as the
// input_required rounds of the 2026-07-28 era (the SDK routes both to the same handler).
import { Client } from '@modelcontextprotocol/client';

/** `2025`: initialize handshake; `2026-07-28`: the modern era, pinned; `auto`: probe with server/discover, fall back. */
export type ProtocolChoice = '2025' | '2026-07-28' | 'auto';

export function createClient(name: string, protocol: ProtocolChoice, sampling: boolean): Client {
  return new Client(
    { name, version: '1.0.0' },
    {
      capabilities: sampling ? { sampling: { tools: {} } } : {},
      versionNegotiation: { mode: protocol === '2025' ? 'legacy' : protocol === 'auto' ? 'auto' : { pin: protocol } },
    },
  );
}
