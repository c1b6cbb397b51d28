// The agent's local endpoint: a socket only its own user can reach (mode 0600 in the crosstalk
// home; a named pipe on Windows), where that user's commands ask the agent things — a coding
// agent's hook reporting what its session does, for one. Frames are bounded JSON lines; the first
// must be a hello; anything else that is wrong closes the connection with an error frame.
import { chmod, mkdir, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { CrosstalkError } from '@crosstalk/core';
import { agentProof, ENDPOINT_PROTOCOL, FrameReader, frame } from '@crosstalk/core/endpoint';

export interface EndpointLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Answers one request (a frame with `t` and a numeric `id`); throws a CrosstalkError to refuse it.
 * `closed` aborts when the asker hangs up, so a request that waits can let go.
 */
export type EndpointHandler = (
  request: Record<string, unknown>,
  closed: AbortSignal,
  progress: (fields: Record<string, unknown>) => void,
) => Promise<Record<string, unknown>>;

export interface EndpointOptions {
  path: string;
  platform: NodeJS.Platform;
  handle: EndpointHandler;
  log: EndpointLogger;
  /** A connection that sends nothing for this long is closed. */
  idleMs?: number;
  /** The endpoint secret (endpoint/secret.ts): a hello with a nonce gets a proof of it in the welcome. */
  secret?: string | undefined;
}

/** A client's nonce: short, printable. */
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

export interface RunningEndpoint {
  path: string;
  close(): Promise<void>;
}

const MAX_CONNECTIONS = 64;

export async function listenEndpoint(options: EndpointOptions): Promise<RunningEndpoint> {
  if (options.platform !== 'win32') await clearStaleSocket(options.path);
  const server = createServer((socket) => serve(socket, options));
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) =>
      // A pipe name is taken only while a process holds it (there is no file to clear): another
      // agent of this home, or a program squatting on the name.
      reject(err.code === 'EADDRINUSE' ? new CrosstalkError('AGENT_RUNNING', `another process already listens on ${options.path}`) : err);
    server.once('error', failed);
    // On Windows a named pipe that node creates with neither readableAll nor writableAll gets
    // the default security: full control for its creator (and SYSTEM and administrators), read
    // only for everyone else, so no other user can write a request. It is also created as the
    // first instance of its name, so an agent never shares a name someone else made.
    server.listen({ path: options.path, readableAll: false, writableAll: false }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  // Only this user may connect: the socket's own mode, beside the home's.
  if (options.platform !== 'win32') await chmod(options.path, 0o600);
  return { path: options.path, close: () => closeServer(server, options) };
}

/** A socket file left by an agent that did not stop cleanly goes; one that answers is another agent. */
async function clearStaleSocket(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const live = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new CrosstalkError('AGENT_RUNNING', `another agent already listens on ${path}`);
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

async function closeServer(server: Server, options: EndpointOptions): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (options.platform !== 'win32') {
    await unlink(options.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') options.log.warn({ err: String(err), path: options.path }, 'could not remove the endpoint socket');
    });
  }
}

function serve(socket: Socket, options: EndpointOptions): void {
  const reader = new FrameReader();
  let greeted = false;
  let refused = false;
  let pending = 0;
  const idleMs = options.idleMs ?? 30_000;
  const hungUp = new AbortController();
  socket.setEncoding('utf8');
  // Idle means silent both ways with no request being answered: a request's reply is a write,
  // which starts the idle time again, so the timer never needs to be stopped and restarted.
  socket.setTimeout(idleMs);
  socket.on('timeout', () => {
    if (pending === 0) socket.destroy();
  });
  socket.on('close', () => hungUp.abort());
  // A client that hung up is no concern of the agent's.
  socket.on('error', (err) => options.log.debug({ err: String(err) }, 'endpoint connection error'));
  const refuse = (code: string, message: string) => {
    refused = true;
    socket.end(frame({ t: 'error', code, message }));
  };
  socket.on('data', (chunk: string) => {
    if (refused) return;
    const { frames, error } = reader.push(chunk);
    for (const f of frames) {
      if (!greeted) {
        if (f.t !== 'hello' || f.v !== ENDPOINT_PROTOCOL) return refuse('PROTOCOL_MISMATCH', `the first frame must be a hello of version ${ENDPOINT_PROTOCOL}`);
        greeted = true;
        const proof = options.secret !== undefined && typeof f.nonce === 'string' && NONCE.test(f.nonce) ? { proof: agentProof(options.secret, f.nonce) } : {};
        socket.write(frame({ t: 'welcome', v: ENDPOINT_PROTOCOL, ...proof }));
        continue;
      }
      if (typeof f.id !== 'number' || typeof f.t !== 'string') return refuse('INVALID_REQUEST', 'a request needs a numeric id and a type');
      // A request being answered may wait long (a hook waiting for a turn): no idle limit meanwhile.
      pending++;
      void answer(socket, f, options, hungUp.signal).then(() => pending--);
    }
    if (error) refuse('INVALID_REQUEST', error.message);
  });
}

async function answer(socket: Socket, request: Record<string, unknown>, options: EndpointOptions, closed: AbortSignal): Promise<void> {
  let reply: object;
  try {
    const progress = (fields: Record<string, unknown>) => {
      if (!socket.destroyed) socket.write(frame({ t: 'progress', id: request.id, ...fields }));
    };
    reply = { t: 'reply', id: request.id, ...(await options.handle(request, closed, progress)) };
  } catch (err) {
    const e = err instanceof CrosstalkError ? err : new CrosstalkError('INTERNAL', String(err).slice(0, 200));
    if (!(err instanceof CrosstalkError)) options.log.warn({ err: String(err) }, 'endpoint request failed');
    reply = { t: 'error', id: request.id, ...e.toBody() };
  }
  if (!socket.destroyed) socket.write(frame(reply));
}
