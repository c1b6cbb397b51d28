// `crosstalk up`: zero-config start. A relay on 127.0.0.1 (or --host) and an agent enrolled to it,
// in this one process, everything created in the crosstalk home on the first run and reused afterwards.
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  defaultHostName,
  enroll,
  readAgentConfig,
  readHostKey,
  runAgent,
  writeAgentConfig,
  type AgentConfig,
  type HomeLayout,
  type RunningAgent,
} from '@crosstalk/agent';
import { adminClient, createRelayClient } from '@crosstalk/client';
import { CrosstalkError, EXIT } from '@crosstalk/core';
import { tokenSigner } from '@crosstalk/core/token';
import type { RelayInfo, RunningRelay } from '@crosstalk/relay';
import type { CliContext, CommandHandler } from '../handler.js';
import { connectHost, layoutOf } from '../lib/home.js';
import { keyProtection } from '../lib/key-acl.js';
import { lanAddress } from '../lib/lan.js';
import type { LogLevel } from '../options/values.js';
import { findOnPath, PATH_HINT } from '../lib/on-path.js';
import { aborted } from '../lib/signal.js';
import { startWeb } from '../lib/web.js';
import type { RunningWebServer } from '@crosstalk/web';
import { say } from '../output.js';
import type { UP_OPTIONS } from '../spec/setup.js';

async function readConfigIfAny(layout: HomeLayout): Promise<AgentConfig | null> {
  return readAgentConfig(layout.config).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'NOT_ENROLLED') return null;
    throw err;
  });
}

function enrolledElsewhere(layout: HomeLayout, config: AgentConfig): CrosstalkError {
  return new CrosstalkError(
    'CONFIG_INVALID',
    `${layout.home} is enrolled with another relay (${config.relayUrl}, id ${config.relayId}), not the local one \`crosstalk up\` runs`,
    {
      hint: `to use that relay, run \`crosstalk agent run\` instead; for a local relay, use another home: CROSSTALK_HOME=<dir> crosstalk up`,
      details: { home: layout.home, relayUrl: config.relayUrl, relayId: config.relayId },
    },
  );
}

/** Enrolls the home with the local relay through a fresh invite, as the machine's host name. */
async function enrollLocally(ctx: CliContext, layout: HomeLayout, relay: { url: string; relayId: string }, host: string): Promise<AgentConfig> {
  const { readAdminKey } = await import('@crosstalk/relay');
  const admin = await adminClient({ relayUrl: relay.url, adminKey: await readAdminKey(layout.relayDataDir), relayId: relay.relayId });
  const { invite } = await admin.createInvite({ host, expiresIn: 300 });
  return (await enroll({ relayUrl: relay.url, invite, host, layout, machineHostname: ctx.hostname, protectKey: keyProtection(ctx) })).config;
}

/** Whether the relay still knows this host (its log may have been replaced since). */
async function hostKnown(layout: HomeLayout, config: AgentConfig): Promise<boolean> {
  const signer = await tokenSigner(await readHostKey(layout.hostKey), config.host, config.relayId);
  try {
    await createRelayClient({ relayUrl: config.relayUrl, signer }).listSessions();
    return true;
  } catch (err) {
    if (err instanceof CrosstalkError && err.code === 'HOST_UNKNOWN') return false;
    throw err;
  }
}

/** The local relay's identity, or null before the first run created it. */
async function readLocalRelay(layout: HomeLayout): Promise<RelayInfo | null> {
  const { DATA_FILES, readRelayInfo } = await import('@crosstalk/relay');
  // Before the first run there is no relay.json; a damaged one is reported.
  if (!existsSync(join(layout.relayDataDir, DATA_FILES.relay))) return null;
  return readRelayInfo(layout.relayDataDir);
}

async function startLocalRelay(
  layout: HomeLayout,
  local: RelayInfo | null,
  options: { host: string; port: number; logLevel: LogLevel; logs: WriteStream },
): Promise<RunningRelay> {
  const { startRelay } = await import('@crosstalk/relay');
  const { host, port, logLevel, logs } = options;
  return startRelay({ dataDir: layout.relayDataDir, host, port, logLevel, logDestination: logs }).catch((err: unknown) => {
    logs.end();
    if (err instanceof CrosstalkError && err.code === 'DATA_DIR_LOCKED') {
      const where = local?.url ? ` at ${local.url}` : '';
      throw new CrosstalkError('DATA_DIR_LOCKED', `crosstalk is already up for ${layout.home}${where}`, {
        hint: 'use the running one, or stop it (Ctrl-C in its terminal) first',
      });
    }
    throw err;
  });
}

/** This home enrolled with the local relay: on the first run, and again when the relay forgot it. */
async function enrolledLocally(
  ctx: CliContext,
  layout: HomeLayout,
  relay: RunningRelay,
  config: AgentConfig | null,
): Promise<{ config: AgentConfig; news: string }> {
  if (!config)
    return {
      config: await enrollLocally(ctx, layout, relay, defaultHostName(ctx.hostname)),
      news: ' (first run: created the relay and enrolled this machine)',
    };
  const current = config.relayUrl === relay.url ? config : await writeAgentConfig(layout.config, { ...config, relayUrl: relay.url });
  if (await hostKnown(layout, current)) return { config: current, news: '' };
  // The relay's log was replaced since: enroll again under the same name.
  return { config: await enrollLocally(ctx, layout, relay, current.host), news: ' (enrolled this machine again: the relay no longer knew it)' };
}

/** The web view beside the relay and agent; one that cannot start is said, and `up` goes on without it. */
async function startLocalWeb(ctx: CliContext, layout: HomeLayout, port: number): Promise<RunningWebServer | string> {
  try {
    return await startWeb(ctx, await connectHost(ctx, layout), { port });
  } catch (err) {
    if (err instanceof CrosstalkError) return `not started: ${err.message} (${err.hint})`;
    throw err;
  }
}

function webLine(web: RunningWebServer | string): string {
  if (typeof web === 'string') return `  web     ${web}`;
  const link = web.loginLink();
  return `  web     ${web.url}  log in once with ${link.url} (until ${link.expiresAt.toISOString().slice(11, 19)} UTC)`;
}

/** Where other machines reach the relay, when it listens for them. */
function reachedAt(ctx: CliContext, host: string, port: number): string[] {
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') return [];
  const everywhere = host === '0.0.0.0' || host === '::';
  const lan = everywhere ? lanAddress() : host;
  const url = ctx.publicUrl ?? (lan ? `http://${lan.includes(':') ? `[${lan}]` : lan}:${port}` : null);
  return [`  other machines: ${url ?? `this machine's address, port ${port}`}; invite one with \`crosstalk relay invite --host <name>\``];
}

function upBanner(
  layout: HomeLayout,
  relay: RunningRelay,
  config: AgentConfig,
  news: string,
  logFile: string,
  onPath: boolean,
  web: string,
  others: string[],
): string {
  return [
    `crosstalk is up${news}. Ctrl-C stops it.`,
    `  relay   ${relay.url}  (data in ${layout.relayDataDir})`,
    ...others,
    `  agent   host ${config.host}; markdown copies in ${config.conversationsDir}`,
    web,
    `  logs    ${logFile}`,
    '',
    'To let a coding-agent session take part, run this in its tmux pane (from its shell tool, or before starting it):',
    '',
    `  crosstalk join --as <name> --kind claude-code`,
    '',
    ...(onPath ? [] : ['Note: `crosstalk` is not on PATH, so woken sessions cannot run it yet;', `  ${PATH_HINT}.`, '']),
  ].join('\n');
}

/** Until Ctrl-C (a clean stop), or until the relay or the agent stops by itself (its error is thrown). */
async function runUntilStopped(signal: AbortSignal, relay: RunningRelay, agent: RunningAgent): Promise<void> {
  const ended = await Promise.race([
    aborted(signal).then(() => ({ by: 'signal' as const })),
    relay.stopped.then((error) => ({ by: 'relay' as const, error })),
    agent.stopped.then((r) => ({ by: 'agent' as const, error: r.reason === 'fatal' ? r.error : null })),
  ]);
  if (ended.by !== 'signal' && ended.error) throw ended.error;
}

const handler: CommandHandler<typeof UP_OPTIONS> = async (ctx, _args, options) => {
  const layout = layoutOf(ctx);
  // Refuse before starting anything if this home belongs to another relay.
  const enrolled = await readConfigIfAny(layout);
  const local = await readLocalRelay(layout);
  if (enrolled && enrolled.relayId !== local?.relayId) throw enrolledElsewhere(layout, enrolled);

  await mkdir(layout.logsDir, { recursive: true, mode: 0o700 });
  const logFile = join(layout.logsDir, 'up.log');
  const logs = createWriteStream(logFile, { flags: 'a', mode: 0o600 });
  const relay = await startLocalRelay(layout, local, { host: options.host, port: options.port, logLevel: options.logLevel, logs });
  let agent: RunningAgent | null = null;
  let web: RunningWebServer | string | null = null;
  try {
    const { config, news } = await enrolledLocally(ctx, layout, relay, enrolled);
    agent = await runAgent({ layout, config, logLevel: options.logLevel, logDestination: logs, protectFiles: keyProtection(ctx) });
    web = await startLocalWeb(ctx, layout, options.webPort);
    await linkedOrLate(agent, LINK_WAIT_MS);
    const onPath = (await findOnPath('crosstalk', ctx.env.PATH, ctx.platform)) !== null;
    say(ctx, upBanner(layout, relay, config, news, logFile, onPath, webLine(web), reachedAt(ctx, options.host, relay.port)));
    await runUntilStopped(ctx.signal, relay, agent);
    say(ctx, 'stopping');
    return { exitCode: EXIT.ok };
  } finally {
    // Best effort: a stop that fails must not hide why `up` ended.
    if (web && typeof web !== 'string') await web.close().catch(() => undefined);
    await agent?.stop().catch(() => undefined);
    await relay.close().catch(() => undefined);
    await new Promise<void>((r) => logs.end(() => r()));
  }
};
export default handler;

/** How long `up` waits for its agent's link before it says it is up (the relay is local). */
const LINK_WAIT_MS = 5_000;

/** Resolves once the agent is linked, or after `ms` (its status then says why not). */
async function linkedOrLate(agent: RunningAgent, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!agent.status().connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
