// `crosstalk agent status`: is the agent running and connected; relay, cursor, lag, its sessions
// and their last wake-up; and the service, if one is installed. Exit 5 when it is not running.
import { execaServiceRunner, readAgentConfig, readAgentStatus, serviceStatus } from '@crosstalk/agent';
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

const handler: CommandHandler = async (ctx) => {
  const layout = layoutOf(ctx);
  const config = await readAgentConfig(layout.config);
  const report = await readAgentStatus(layout);
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
  const data = { running: report.running, host: config.host, relayUrl: config.relayUrl, status: s, service, spawn: config.spawn };
  return { data, text: lines.join('\n'), exitCode: report.running ? EXIT.ok : EXIT.unreachable };
};
export default handler;
