// Everything the server wrote on stdout, as the client received it (for "no secret on the wire" checks).
import type { Connected } from '../helpers/cli.ts';

export interface Wire {
  text(): string;
}

export function recordWire(server: Connected): Wire {
  const seen: string[] = [];
  const transport = server.transport;
  const onmessage = transport.onmessage;
  const onerror = transport.onerror;
  transport.onmessage = (message) => {
    seen.push(JSON.stringify(message));
    onmessage?.(message);
  };
  // A line that is not JSON-RPC surfaces as an error: keep it too.
  transport.onerror = (err) => {
    seen.push(String(err));
    onerror?.(err);
  };
  return { text: () => seen.join('\n') };
}
