// Asking this host's agent over its local endpoint (docs/PROTOCOL.md, "Local endpoint"): connect,
// hello, one request, its reply. Loads no schema library and no key: the commands that use it run
// on every turn of every session. An agent that is not there is an answer (null), not an error.
import { createConnection } from 'node:net';
import { ENDPOINT_PROTOCOL, FrameReader, frame } from '@crosstalk/core/endpoint';

export class LocalRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'LocalRefusal';
  }
}

/**
 * Sends `request` (with `t`) to the agent listening on `path` and resolves with its reply's
 * fields; null when no agent listens there. Rejects with a LocalRefusal when the agent refuses,
 * and with an Error when it does not answer within `timeoutMs`.
 */
export function askAgent(path: string, request: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown> | null> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const reader = new FrameReader();
    let welcomed = false;
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`the agent did not answer within ${timeoutMs} ms`))), timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(frame({ t: 'hello', v: ENDPOINT_PROTOCOL })));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // No socket, or nobody behind it: no agent runs for this home.
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') finish(() => resolve(null));
      else finish(() => reject(err));
    });
    socket.on('data', (chunk: string) => {
      const { frames, error } = reader.push(chunk);
      if (error) return finish(() => reject(error));
      for (const f of frames) {
        if (f.t === 'error') return finish(() => reject(new LocalRefusal(String(f.code), String(f.message), typeof f.hint === 'string' ? f.hint : undefined)));
        if (!welcomed) {
          if (f.t !== 'welcome') return finish(() => reject(new Error(`the agent answered the hello with ${String(f.t)}`)));
          welcomed = true;
          socket.write(frame({ ...request, id: 1 }));
          continue;
        }
        if (f.t === 'reply' && f.id === 1) {
          const { t: _t, id: _id, ...fields } = f;
          return finish(() => resolve(fields));
        }
      }
    });
    socket.on('close', () => finish(() => reject(new Error('the agent closed the connection without an answer'))));
  });
}
