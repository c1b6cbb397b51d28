// `crosstalk agent status`: is the agent running and connected; relay, cursor, lag, the posts its
// outbox holds for the relay, its sessions and their last wake-up; and the service, if one is
// installed. Exit 5 when it is not running.
import { execaServiceRunner, readAgentConfig, readAgentStatus, readOutbox, serviceStatus } from '@crosstalk/agent';
import { CrosstalkError, EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { table } from '../lib/format.js';
import { layoutOf } from '../lib/home.js';
import { serviceContext } from '../lib/service.js';
import { spawnPolicyWords } from '../lib/spawn-policy-text.js';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The disk budget in one line; in capitals when it holds the agent back. */
export function diskWords(disk: { usedBytes: number; budgetBytes: number; paused: { seq: number; conversation: string } | null }, configPath: string): string {
  if (!disk.paused) return `disk: copies and state take ${mib(disk.usedBytes)} of the ${mib(disk.budgetBytes)} budget`;
  return (
    `DISK BUDGET REACHED: copies and state take ${mib(disk.usedBytes)} of the ${mib(disk.budgetBytes)} budget; ` +
    `new conversations are not written, from ${disk.paused.conversation} (event ${disk.paused.seq}) on. Nothing is lost: ` +
    `raise diskBudgetMiB in ${configPath} and restart the agent, and it catches up`
  );
}

/** The outbox in one line: what waits for the relay, and whether anything will send it. */
export function outboxWords(outbox: { posts: number; oldest: string | null }, running: boolean): string {
  if (outbox.posts === 0) return 'outbox: no post waiting for the relay';
  const what = `${outbox.posts} post${outbox.posts === 1 ? '' : 's'} waiting for the relay's acknowledgement (the oldest taken at ${outbox.oldest})`;
  return `outbox: ${what}; ${running ? 'sent when the link is up' : 'sent when the agent runs again'}`;
}

const handler: CommandHandler = async (ctx) => {
  const layout = layoutOf(ctx);
  const config = await readAgentConfig(layout.config);
  const report = await readAgentStatus(layout);
  // Receipts may wait there too; only posts are the user's.
  const posts = (await readOutbox(layout.stateDir)).filter((e) => e.op !== 'receipt');
  const outbox = { posts: posts.length, oldest: posts[0]?.at ?? null };
  // An unsupported platform or an unusable context means there is no service to ask about.
  const service = await serviceStatus(serviceContext(ctx, layout), execaServiceRunner()).catch((err: unknown) =>
    err instanceof CrosstalkError ? null : Promise.reject(err),
  );
  const s = report.status;
  const lines: string[] = [];
  if (!report.running)
    lines.push(`agent: not running${s ? ` (last seen ${s.updatedAt})` : ''}; start it with \`crosstalk agent run\` or \`crosstalk agent install\``);
  else if (s) {
    lines.push(`agent: running (pid ${s.pid}) as host ${s.host}, ${s.connected ? 'connected to' : 'not connected to'} ${s.relayUrl}`);
    lines.push(`cursor ${s.cursor}, relay head ${s.head ?? '?'}, lag ${s.lag ?? '?'}`);
    if (s.disk) lines.push(diskWords(s.disk, layout.config));
  }
  if (report.running || outbox.posts > 0) lines.push(outboxWords(outbox, report.running));
  if (s?.lastError) lines.push(`last error: ${s.lastError.message} [${s.lastError.code}] at ${s.lastError.at}`);
  if (s && s.sessions.length > 0) {
    lines.push('', 'sessions:');
    const rows = s.sessions.map((x) => [
      x.name,
      x.kind,
      x.wake,
      x.online === null ? '?' : x.online ? 'online' : 'offline',
      x.lastReceipt
        ? `${x.lastReceipt.status}${x.lastReceipt.reason ? ` (${x.lastReceipt.reason})` : ''} for ${x.lastReceipt.conversation} turn ${x.lastReceipt.turn} at ${x.lastReceipt.at}`
        : '-',
    ]);
    lines.push(
      ...table(['SESSION', 'KIND', 'WAKE', 'STATE', 'LAST WAKE-UP'], rows)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  lines.push(
    '',
    service ? `service: ${service.installed ? `installed (${service.definition}), ${service.state}` : 'not installed'}` : 'service: not supported here',
  );
  lines.push(spawnPolicyWords(config.spawn));
  const data = { running: report.running, host: config.host, relayUrl: config.relayUrl, status: s, service, spawn: config.spawn, outbox };
  return { data, text: lines.join('\n'), exitCode: report.running ? EXIT.ok : EXIT.unreachable };
};
export default handler;
