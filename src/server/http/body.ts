// Reading a POST body: bounded, so one client cannot make the server buffer without end.
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { ok: true; text: string }
  | { ok: false; tooLarge: true; drained: boolean }
  | { ok: false; tooLarge: false; error: Error };

/**
 * Read the body up to `limit` bytes. Beyond it, stop keeping bytes but keep draining up to `drainLimit` more, so
 * the 413 reaches a client that is still sending (answering mid-upload makes many clients see a reset instead).
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit = Math.max(limit * 4, 16 * 1024 * 1024)): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (declared > drainLimit) {
      resolve({ ok: false, tooLarge: true, drained: false });
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else if (chunks.length) chunks.length = 0; // over the limit: let go of what we kept
      if (received > drainLimit) finish({ ok: false, tooLarge: true, drained: false });
    };
    req.on('data', onData);
    req.once('end', () => {
      if (received > limit) finish({ ok: false, tooLarge: true, drained: true });
      else finish({ ok: true, text: Buffer.concat(chunks, received).toString('utf8') });
    });
    req.once('error', (error) => finish({ ok: false, tooLarge: false, error }));
    req.once('close', () => finish({ ok: false, tooLarge: false, error: new Error('request closed before its body ended') }));
  });
}
