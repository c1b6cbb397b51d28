// Server-Sent Events: one stream per open page, fed by the LiveState's changes. Each change is
// turned into that page's update (rendered for its login, since forms carry its token) and sent
// in order; a comment every 15 s finds dead connections; stopping the server ends every stream.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

export type Produce = () => Promise<object | null> | object | null;

export interface StreamSpec {
  /** What to send at once (what changed since the page was rendered), if anything. */
  first: Produce;
  /** Registers `changed` to be called on every change; returns the call that stops it. */
  subscribe(changed: (produce: Produce) => void): () => void;
  /** The seq the updates are at, sent as the event id (the browser's Last-Event-ID). */
  seq(): number;
}

const PING_MS = 15_000;

export class StreamHub {
  private readonly closers = new Set<() => void>();

  get size(): number {
    return this.closers.size;
  }

  open(c: Context, spec: StreamSpec): Response {
    return streamSSE(c, async (stream) => {
      let end: () => void = () => {};
      const ended = new Promise<void>((resolve) => (end = resolve));
      this.closers.add(end);
      stream.onAbort(end);
      let chain: Promise<void> = stream.writeSSE({ data: '', retry: 1000 });
      const send = (produce: Produce) => {
        chain = chain
          .then(async () => {
            const update = await produce();
            if (update && !stream.closed) await stream.writeSSE({ event: 'update', id: String(spec.seq()), data: JSON.stringify(update) });
          })
          // A stream that cannot be written to is gone.
          .catch(end);
      };
      send(spec.first);
      const unsubscribe = spec.subscribe(send);
      const ping = setInterval(() => {
        chain = chain.then(() => stream.write(': ping\n\n')).then(() => undefined, end);
      }, PING_MS);
      await ended;
      clearInterval(ping);
      unsubscribe();
      this.closers.delete(end);
    });
  }

  closeAll(): void {
    for (const end of this.closers) end();
  }
}
