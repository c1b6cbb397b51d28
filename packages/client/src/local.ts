// Asking this host's agent over its local endpoint (docs/PROTOCOL.md, "Local endpoint"): connect,
// hello, one request, its reply. Loads no schema library and no key: the commands that use it run
// on every turn of every session. An agent that is not there is an answer (null), not an error.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createConnection } from 'node:net';
import { agentProof, ENDPOINT_PROTOCOL, FrameReader, frame } from '@crosstalk/core/endpoint';

export class LocalRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LocalRefusal';
  }
}

/** The connection ended before the agent answered: it stopped, or died, mid-request. */
export class AgentGone extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentGone';
  }
}

/** The asker gave up (Ctrl-C): the connection was closed before the agent answered. */
export class AskInterrupted extends Error {
  constructor() {
    super('interrupted before the agent answered');
    this.name = 'AskInterrupted';
  }
}

/** What listens on the endpoint could not prove it holds this user's endpoint secret. */
export class AgentUnproven extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentUnproven';
  }
}

export interface AskOptions {
  /** The endpoint secret: the agent must prove it holds the same before the request is sent. */
  secret?: string;
  /** Frames the agent sends about the request before its reply (`{t: "progress"}`), their fields. */
  onProgress?(fields: Record<string, unknown>): void;
  /** Aborting it hangs up (rejecting with AskInterrupted); the agent then settles the request as its own. */
  signal?: AbortSignal;
}

function sameProof(got: unknown, want: string): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Sends `request` (with `t`) to the agent listening on `path` and resolves with its reply's
 * fields; null when no agent listens there. Rejects with a LocalRefusal when the agent refuses,
 * and with an Error when it does not answer within `timeoutMs`.
 */
export function askAgent(path: string, request: Record<string, unknown>, timeoutMs: number, options: AskOptions = {}): Promise<Record<string, unknown> | null> {
  const nonce = options.secret === undefined ? undefined : randomBytes(24).toString('base64url');
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const reader = new FrameReader();
    let welcomed = false;
    let done = false;
    const interrupted = () => finish(() => reject(new AskInterrupted()));
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', interrupted);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`the agent did not answer within ${timeoutMs} ms`))), timeoutMs);
    if (options.signal?.aborted) return interrupted();
    options.signal?.addEventListener('abort', interrupted, { once: true });
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(frame({ t: 'hello', v: ENDPOINT_PROTOCOL, ...(nonce === undefined ? {} : { nonce }) })));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // No socket, or nobody behind it: no agent runs for this home.
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') finish(() => resolve(null));
      else finish(() => reject(new AgentGone(`the connection to the agent failed (${err.code ?? err.message})`)));
    });
    socket.on('data', (chunk: string) => {
      const { frames, error } = reader.push(chunk);
      if (error) return finish(() => reject(error));
      for (const f of frames) {
        if (f.t === 'error') {
          const details = typeof f.details === 'object' && f.details !== null && !Array.isArray(f.details) ? (f.details as Record<string, unknown>) : undefined;
          return finish(() => reject(new LocalRefusal(String(f.code), String(f.message), typeof f.hint === 'string' ? f.hint : undefined, details)));
        }
        if (!welcomed) {
          if (f.t !== 'welcome') return finish(() => reject(new Error(`the agent answered the hello with ${String(f.t)}`)));
          if (nonce !== undefined && options.secret !== undefined && !sameProof(f.proof, agentProof(options.secret, nonce)))
            return finish(() => reject(new AgentUnproven(`what listens on ${path} did not prove it is this user's agent`)));
          welcomed = true;
          socket.write(frame({ ...request, id: 1 }));
          continue;
        }
        if (f.t === 'progress' && f.id === 1) {
          const { t: _t, id: _id, ...fields } = f;
          options.onProgress?.(fields);
          continue;
        }
        if (f.t === 'reply' && f.id === 1) {
          const { t: _t, id: _id, ...fields } = f;
          return finish(() => resolve(fields));
        }
      }
    });
    socket.on('close', () => finish(() => reject(new AgentGone('the agent closed the connection without an answer'))));
  });
}
