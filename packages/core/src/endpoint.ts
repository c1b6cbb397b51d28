// The host agent's local endpoint: where it listens for the commands of its own user (a Unix
// socket in the crosstalk home, mode 0600; a named pipe on Windows), and the frames spoken there:
// one JSON object per line, bounded, a hello first. Pure, and free of zod, so the commands that
// talk to it (`crosstalk hook`, which runs on every turn of every session) start fast.
import { createHash, createHmac } from 'node:crypto';
import { join } from 'node:path';

export const ENDPOINT_PROTOCOL = 1;
/** No frame of ours comes near this: a hook's payload is bounded before it is sent. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Unix socket paths longer than this do not fit `sockaddr_un` on every system. */
const MAX_SOCKET_PATH = 100;

/**
 * Where the agent of `home` listens. A home whose socket path would be too long (a deep
 * CROSSTALK_HOME) gets one in the temp dir instead, named by a hash of the home, in a folder only
 * this user may enter.
 */
export function endpointPath(home: string, platform: NodeJS.Platform, tmpDir: string, uid: number): string {
  const tag = createHash('sha256').update(home).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\crosstalk-${tag}`;
  const inHome = join(home, 'agent.sock');
  return Buffer.byteLength(inHome) <= MAX_SOCKET_PATH ? inHome : join(tmpDir, `crosstalk-${uid}`, `${tag}.sock`);
}

export class FrameError extends Error {}

/**
 * Cuts a byte stream into frames (parsed JSON objects), in order, up to the first bad one: a line
 * too long, not JSON, or not an object. After an error the stream is no use.
 */
export class FrameReader {
  private pending = '';

  push(chunk: string): { frames: Array<Record<string, unknown>>; error?: FrameError } {
    this.pending += chunk;
    const frames: Array<Record<string, unknown>> = [];
    try {
      let end = this.pending.indexOf('\n');
      while (end >= 0) {
        const line = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 1);
        frames.push(parseFrame(line));
        end = this.pending.indexOf('\n');
      }
      if (Buffer.byteLength(this.pending) > MAX_FRAME_BYTES) throw new FrameError(`a frame longer than ${MAX_FRAME_BYTES} bytes`);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      return { frames, error: err };
    }
    return { frames };
  }
}

function parseFrame(line: string): Record<string, unknown> {
  if (Buffer.byteLength(line) > MAX_FRAME_BYTES) throw new FrameError(`a frame longer than ${MAX_FRAME_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new FrameError('a frame that is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FrameError('a frame that is not a JSON object');
  return value as Record<string, unknown>;
}

/** One frame on the wire. */
export function frame(value: object): string {
  return `${JSON.stringify(value)}\n`;
}

// --- posting through the agent ---------------------------------------------------------------

/** What the CLI may post through its agent; the agent forwards each over its link. */
export const ENDPOINT_POST_OPS = ['open', 'turn', 'moderate', 'close'] as const;
export type EndpointPostOp = (typeof ENDPOINT_POST_OPS)[number];
/**
 * Kept in the agent's outbox on disk until the relay answers: each carries an idempotency key, so
 * sending it again (after a link drop, a relay restart, an agent restart) never posts it twice.
 * A moderation or a close has no key: the agent sends it once, never again.
 */
export const DURABLE_POST_OPS: readonly EndpointPostOp[] = ['open', 'turn'];

/** The agent's secret, beside its socket, readable only by its user: proves the agent to a client. */
export function endpointSecretPath(home: string): string {
  return join(home, 'agent.secret');
}

/**
 * The agent's answer to a client's nonce. Only a process that can read the user's own secret file
 * can give it, so a client that checks it knows it talks to its user's agent, not to a process of
 * another user squatting on the endpoint's name.
 */
export function agentProof(secret: string, nonce: string): string {
  return createHmac('sha256', secret.trim()).update(`crosstalk-agent-proof:${nonce}`).digest('base64url');
}
