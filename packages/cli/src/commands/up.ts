// `crosstalk up`: zero-config start. A relay on 127.0.0.1 and an agent enrolled to it, in this one
// process, everything created in the crosstalk home on the first run and reused afterwards.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { adminClient, createRelayClient, defaultHostName, enroll, readAgentConfig, readHostKey, runAgent, writeAgentConfig, type AgentConfig, type HomeLayout } from '@crosstalk/agent';
import { CrosstalkError, EXIT } from '@crosstalk/core';
import { tokenSigner } from '@crosstalk/core/token';
import type { CliContext, CommandHandler } from '../handler.js';
import { layoutOf } from '../lib/home.js';
import { listenError } from '../lib/listen.js';
import { findOnPath, PATH_HINT } from '../lib/on-path.js';
import { aborted } from '../lib/signal.js';
import { say } from '../output.js';
import type { UP_OPTIONS } from '../spec/setup.js';

const HOST = '127.0.0.1';

async function readConfigIfAny(layout: HomeLayout): Promise<AgentConfig | null> {
  return readAgentConfig(layout.config).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'NOT_ENROLLED') return null;
    throw err;
  });
}

function enrolledElsewhere(layout: HomeLayout, config: AgentConfig): CrosstalkError {
  return new CrosstalkError('CONFIG_INVALID', `${layout.home} is enrolled with another relay (${config.relayUrl}, id ${config.relayId}), not the local one \`crosstalk up\` runs`, {
    hint: `to use that relay, run \`crosstalk agent run\` instead; for a local relay, use another home: CROSSTALK_HOME=<dir> crosstalk up`,
    details: { home: layout.home, relayUrl: config.relayUrl, relayId: config.relayId },
  });
}

/** Enrolls the home with the local relay through a fresh invite, as the machine's host name. */
async function enrollLocally(ctx: CliContext, layout: HomeLayout, relay: { url: string; relayId: string }, host: string): Promise<AgentConfig> {
  const { readAdminKey } = await import('@crosstalk/relay');
  const admin = await adminClient({ relayUrl: relay.url, adminKey: await readAdminKey(layout.relayDataDir), relayId: relay.relayId });
  const { invite } = await admin.createInvite({ host, expiresIn: 300 });
  return (await enroll({ relayUrl: relay.url, invite, host, layout, machineHostname: ctx.hostname })).config;
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

const handler: CommandHandler<typeof UP_OPTIONS> = async (ctx, _args, options) => {
  const { readRelayInfo, startRelay } = await import('@crosstalk/relay');
  const { port, logLevel: level } = options;
  const layout = layoutOf(ctx);

  // Refuse before starting anything if this home belongs to another relay.
  let config = await readConfigIfAny(layout);
  const local = await readRelayInfo(layout.relayDataDir).catch(() => null);
  if (config && config.relayId !== local?.relayId) throw enrolledElsewhere(layout, config);

  await mkdir(layout.logsDir, { recursive: true, mode: 0o700 });
  const logFile = join(layout.logsDir, 'up.log');
  const logs = createWriteStream(logFile, { flags: 'a', mode: 0o600 });
  const relay = await startRelay({ dataDir: layout.relayDataDir, host: HOST, port, logLevel: level, logDestination: logs }).catch((err: unknown) => {
    logs.end();
    if (err instanceof CrosstalkError && err.code === 'DATA_DIR_LOCKED') {
      const where = local?.url ? ` at ${local.url}` : '';
      throw new CrosstalkError('DATA_DIR_LOCKED', `crosstalk is already up for ${layout.home}${where}`, {
        hint: 'use the running one, or stop it (Ctrl-C in its terminal) first',
      });
    }
    throw listenError(err, HOST, port);
  });
  let agent: Awaited<ReturnType<typeof runAgent>> | null = null;
  try {
    let news = '';
    if (!config) {
      config = await enrollLocally(ctx, layout, relay, defaultHostName(ctx.hostname));
      news = ' (first run: created the relay and enrolled this machine)';
    } else {
      if (config.relayUrl !== relay.url) config = await writeAgentConfig(layout.config, { ...config, relayUrl: relay.url });
      if (!(await hostKnown(layout, config))) {
        // The relay's log was replaced since: enroll again under the same name.
        config = await enrollLocally(ctx, layout, relay, config.host);
        news = ' (enrolled this machine again: the relay no longer knew it)';
      }
    }
    agent = await runAgent({ layout, config, logLevel: level, logDestination: logs });
    const onPath = await findOnPath('crosstalk', ctx.env.PATH, ctx.platform);
    say(
      ctx,
      [
        `crosstalk is up${news}. Ctrl-C stops it.`,
        `  relay   ${relay.url}  (data in ${layout.relayDataDir})`,
        `  agent   host ${config.host}; markdown copies in ${config.conversationsDir}`,
        `  logs    ${logFile}`,
        '',
        'To let a coding-agent session take part, run this in its tmux pane (from its shell tool, or before starting it):',
        '',
        `  crosstalk join --as <name> --kind claude-code`,
        '',
        ...(onPath ? [] : ['Note: `crosstalk` is not on PATH, so woken sessions cannot run it yet;', `  ${PATH_HINT}.`, '']),
      ].join('\n'),
    );
    const running = agent;
    const ended = await Promise.race([
      aborted(ctx.signal).then(() => ({ by: 'signal' as const })),
      relay.stopped.then((error) => ({ by: 'relay' as const, error })),
      running.stopped.then((r) => ({ by: 'agent' as const, error: r.reason === 'fatal' ? r.error : null })),
    ]);
    if (ended.by !== 'signal' && ended.error) throw ended.error;
    say(ctx, 'stopping');
    return { exitCode: EXIT.ok };
  } finally {
    await agent?.stop().catch(() => undefined);
    await relay.close().catch(() => undefined);
    await new Promise<void>((r) => logs.end(() => r()));
  }
};
export default handler;
