// The MCP client of `call`, `test` and `dev`: the SDK v2 client, in the era asked for. With --sampling-model it
// advertises sampling with tools and answers it with a model of ours (sampling-handler.ts), as a direct request in the 2025 era or as the
// input_required rounds of the 2026-07-28 era (the SDK routes both to the same handler).
import { Client, type Transport } from '@modelcontextprotocol/client';
import { attachTaskChannel, type SamplingAnswerer } from '../util/task-channel.js';

/** `2025`: initialize handshake; `2026-07-28`: the modern era, pinned; `auto`: probe with server/discover, fall back. */
export type ProtocolChoice = '2025' | '2026-07-28' | 'auto';

const VERSION = '1.0.0';

const capabilitiesOf = (sampling: boolean) => (sampling ? { sampling: { tools: {} } } : {});

export function createClient(name: string, protocol: ProtocolChoice, sampling: boolean): Client {
  return new Client(
    { name, version: VERSION },
    {
      capabilities: capabilitiesOf(sampling),
      versionNegotiation: { mode: protocol === '2025' ? 'legacy' : protocol === 'auto' ? 'auto' : { pin: protocol } },
    },
  );
}

/**
 * Connect, and let the client run 2026-07-28 tools that are tasks only (util/task-channel.ts), answering their
 * sampling requests with `sample` (the --sampling-model answerer) as the 2025 era's handler does.
 */
export async function connectClient(client: Client, transport: Transport, name: string, sample?: SamplingAnswerer): Promise<void> {
  await client.connect(transport);
  attachTaskChannel(client, transport, {
    clientInfo: { name, version: VERSION },
    capabilities: capabilitiesOf(sample !== undefined),
    ...(sample && { sample }),
  });
}
