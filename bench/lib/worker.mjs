// A helper process driven over IPC: `call(cmd, payload)` sends a command and resolves with the
// reply of the same name (rejecting on an error reply, an exit, or a deadline).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { within } from './wait.mjs';

export function startWorker(name, { execArgv = [] } = {}) {
  const file = fileURLToPath(new URL(`../workers/${name}.mjs`, import.meta.url));
  const lines = [];
  const child = fork(file, [], { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const keep = (chunk) => {
    lines.push(chunk.toString('utf8'));
    if (lines.length > 200) lines.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const waiting = new Map();
  child.on('message', (/** @type {any} IPC from the worker */ msg) => {
    const w = waiting.get(msg.reply);
    if (!w) return;
    waiting.delete(msg.reply);
    if (msg.error) w.reject(new Error(`${name} ${msg.reply}: ${msg.error}`));
    else w.resolve(msg);
  });
  child.on('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`${name} exited (${code ?? signal})\n${lines.join('')}`));
    waiting.clear();
  });
  return {
    pid: child.pid,
    logs: () => `--- ${name} (pid ${child.pid})\n${lines.join('').slice(-10_000)}`,
    call(cmd, payload = {}, ms = 120_000) {
      const reply = new Promise((resolve, reject) => waiting.set(cmd, { resolve, reject }));
      child.send({ cmd, ...payload });
      return within(reply, ms, `${name} ${cmd}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ cmd: 'stop' });
      await within(once(child, 'exit'), 10_000, `${name} stop`).catch(() => child.kill('SIGKILL'));
    },
  };
}
