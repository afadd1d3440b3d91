// A downstream tools/call result as the agent loop sees it: text and images as parts, structuredContent kept (and
// shown to the model as JSON when the result has no text), other blocks described in text, everything bounded.
import type { ToolsetResult } from '../agent/toolset.js';
import type { Part } from '../providers/types.js';

/** Most characters of text one downstream result hands to the model (a whole large file would swamp it). */
export const MAX_RESULT_TEXT = 200_000;
/** Largest image (base64 characters) passed on; a larger one is described instead. */
export const MAX_IMAGE_BASE64 = 5_000_000;

/** The content blocks of MCP results, loosely typed: servers send what they send. */
type Block = {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; mimeType?: string; text?: string; blob?: string };
};

export interface DownstreamResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
}

function bytesOfBase64(data: string): number {
  return Math.floor((data.length * 3) / 4);
}

function blockParts(block: Block): Part[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: String(block.text ?? '') }];
    case 'image': {
      const data = String(block.data ?? '');
      const mediaType = String(block.mimeType ?? 'image/png');
      if (data.length > MAX_IMAGE_BASE64)
        return [{ type: 'text', text: `[image ${mediaType}, ${bytesOfBase64(data)} bytes: too large to pass on]` }];
      return [{ type: 'image', mediaType, data }];
    }
    case 'audio':
      return [{ type: 'text', text: `[audio ${block.mimeType ?? ''}, ${bytesOfBase64(String(block.data ?? ''))} bytes]` }];
    case 'resource_link':
      return [{ type: 'text', text: `[resource ${block.name ?? ''} ${block.uri ?? ''}${block.mimeType ? ` (${block.mimeType})` : ''}]` }];
    case 'resource': {
      const r = block.resource ?? {};
      if (typeof r.text === 'string') return [{ type: 'text', text: `[resource ${r.uri ?? ''}]\n${r.text}` }];
      return [
        {
          type: 'text',
          text: `[resource ${r.uri ?? ''}${r.mimeType ? ` (${r.mimeType})` : ''}, ${bytesOfBase64(String(r.blob ?? ''))} bytes]`,
        },
      ];
    }
    default:
      return [{ type: 'text', text: `[${block.type} content]` }];
  }
}

/** Text past the budget is cut, with a note the model can read. */
function bounded(parts: Part[]): Part[] {
  let left = MAX_RESULT_TEXT;
  const out: Part[] = [];
  for (const p of parts) {
    if (p.type !== 'text') {
      out.push(p);
      continue;
    }
    if (left <= 0) continue;
    if (p.text.length <= left) {
      out.push(p);
      left -= p.text.length;
    } else {
      const dropped = parts.reduce((n, q) => n + (q.type === 'text' ? q.text.length : 0), 0) - MAX_RESULT_TEXT;
      out.push({ type: 'text', text: `${p.text.slice(0, left)}\n[truncated: ${dropped} more characters]` });
      left = 0;
    }
  }
  return out;
}

export function mapDownstreamResult(result: DownstreamResult): ToolsetResult {
  const blocks = Array.isArray(result.content) ? (result.content as Block[]) : [];
  const parts: Part[] = blocks.flatMap((b) => (b && typeof b === 'object' ? blockParts(b) : []));
  const structured =
    result.structuredContent && typeof result.structuredContent === 'object' && !Array.isArray(result.structuredContent)
      ? (result.structuredContent as Record<string, unknown>)
      : undefined;
  // The server's text is its own rendition of the structured value; without any, the model reads the JSON.
  if (structured && !parts.some((p) => p.type === 'text')) parts.push({ type: 'text', text: JSON.stringify(structured) });
  return { content: bounded(parts), structured, isError: result.isError === true };
}

/** A failure of the call itself (crash, timeout, refused), shown to the model as a failed tool call. */
export function toolError(text: string): ToolsetResult {
  return { content: [{ type: 'text', text }], isError: true };
}
