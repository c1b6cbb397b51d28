// Relays in their own processes: the real `main.js serve` (as users run it), or the bench entry
// (startRelay without rate limits, with memory readings over IPC). Logs are kept for failures.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { within } from './wait.mjs';

export const RELAY_MAIN = fileURLToPath(new URL('../../packages/relay/dist/main.js', import.meta.url));
const ENTRY = fileURLToPath(new URL('../workers/relay-entry.mjs', import.meta.url));

function tail(lines) {
  return (chunk) => {
    lines.push(chunk.toString('utf8'));
    if (lines.length > 400) lines.shift();
  };
}

/** `node main.js serve --port 0`; resolves once it printed its URL. */
export async function startMainRelay(dataDir, { nodeArgs = [], logLevel = 'warn' } = {}) {
  const lines = [];
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, RELAY_MAIN, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', logLevel], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', tail(lines));
  const url = await within(
    new Promise((resolve, reject) => {
      const look = () => {
        const m = /listening on (http:\/\/\S+)/.exec(lines.join(''));
        if (m) resolve(m[1]);
      };
      child.stderr.on('data', look);
      child.once('exit', (code) => reject(new Error(`relay exited with ${code}\n${lines.join('')}`)));
    }),
    120_000,
    'relay start',
  );
  return {
    url,
    child,
    started,
    logs: () => `--- relay (main.js, pid ${child.pid})\n${lines.join('').slice(-20_000)}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await within(once(child, 'exit'), 60_000, 'relay stop').catch(() => child.kill('SIGKILL'));
    },
    /** Kills it as a crash would: no flush, no snapshot. */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** The bench entry in a forked process (rate limits off and quotas out of reach unless given). */
export async function startEntryRelay(dataDir, options = {}, { nodeArgs = ['--expose-gc'] } = {}) {
  const lines = [];
  // Quotas stay checked on every post, with limits no scenario reaches: their cost is measured.
  const quotas = { openConversations: 1e9, bytesPerHour: 2 ** 50, storedBytes: 2 ** 50 };
  const child = fork(ENTRY, [JSON.stringify({ dataDir, port: 0, rateLimit: false, quotas, ...options })], {
    execArgv: nodeArgs,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr.on('data', tail(lines));
  const replies = [];
  const waiters = [];
  let exitError = null;
  child.on('message', (/** @type {any} IPC from the worker */ msg) => {
    const i = waiters.findIndex((w) => w.reply === msg.reply);
    if (i >= 0) waiters.splice(i, 1)[0].resolve(msg);
    else replies.push(msg);
  });
  // One exit handler for every pending reply, not one per request.
  child.once('exit', (code) => {
    exitError = new Error(`relay exited with ${code}\n${lines.join('')}`);
    for (const w of waiters.splice(0)) w.reject(exitError);
  });
  const reply = (name, ms = 60_000) => {
    const i = replies.findIndex((m) => m.reply === name);
    if (i >= 0) return Promise.resolve(replies.splice(i, 1)[0]);
    return within(
      new Promise((resolve, reject) => {
        if (exitError) return reject(exitError);
        waiters.push({ reply: name, resolve, reject });
      }),
      ms,
      `relay reply ${name}`,
    );
  };
  const ready = await reply('ready', 120_000);
  return {
    url: ready.url,
    relayId: ready.relayId,
    child,
    logs: () => `--- relay (pid ${child.pid})\n${lines.join('').slice(-20_000)}`,
    async memory() {
      child.send({ cmd: 'memory' });
      return reply('memory');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ cmd: 'stop' });
      await within(once(child, 'exit'), 20_000, 'relay stop').catch(() => child.kill('SIGKILL'));
    },
  };
}
