// `crosstalk demo`: a private relay (temp dir, port 0), two agents posing as two hosts, and two
// scripted sessions in a private tmux server, holding a real conversation through the real
// wake-up path. Everything it starts is stopped and removed at the end, also when it fails.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminClient, enroll, homeLayout, runAgent, type RunningAgent, type RelayClient } from '@crosstalk/agent';
import { CrosstalkError, type Conversation } from '@crosstalk/core';
import { OPENER, RESPONDER, type DemoParty } from './script.js';
import type { SessionConfig } from './session.js';
import { PrivateTmux, requireTmux } from './tmux.js';

export interface DemoOptions {
  /** Where the temp dir goes (os.tmpdir()). */
  tmpRoot: string;
  nodePath: string;
  cliPath: string;
  /** The built session.js. */
  sessionScript: string;
  /** Base environment of tmux and the sessions (PATH, HOME, LANG). */
  env: Record<string, string | undefined>;
  keep: boolean;
  signal: AbortSignal;
  /** Progress for humans (stderr). */
  say(line: string): void;
  timeoutMs?: number;
}

export interface DemoCopy {
  host: string;
  session: string;
  path: string;
}

export interface DemoResult {
  conversation: Conversation;
  copies: DemoCopy[];
  /** The hosts' copies are byte-identical. */
  identical: boolean;
  markdown: string;
  /** The temp dir, when kept. */
  kept: string | null;
}

export class DemoInterrupted extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const env = { ...o.env, LANG: o.env.LANG || 'C.UTF-8', TMUX: undefined, TMUX_PANE: undefined, CROSSTALK_HOME: undefined };
  await requireTmux(env);
  const { readAdminKey, startRelay } = await import('@crosstalk/relay');
  const root = await mkdtemp(join(o.tmpRoot, 'crosstalk-demo-'));
  const agents: RunningAgent[] = [];
  const tmux = new PrivateTmux(join(root, 'tmux.sock'), env);
  const panes = new Map<string, string>();
  const relayLog = createWriteStream(join(root, 'relay.log'));
  let relay: Awaited<ReturnType<typeof startRelay>> | null = null;
  let succeeded = false;

  const diagnostics = async (): Promise<string> => {
    const parts: string[] = [];
    for (const [session, pane] of panes) parts.push(`--- pane of ${session}\n${await tmux.capture(pane)}`);
    for (const file of [...[OPENER, RESPONDER].flatMap((p) => [join(root, `${p.session}.jsonl`), join(root, p.host, 'agent.log')]), join(root, 'relay.log')]) {
      const text = await readFile(file, 'utf8').catch(() => '(none)');
      parts.push(`--- ${file}\n${text.slice(-6000)}`);
    }
    return parts.join('\n');
  };

  /** Polls until `check` gives a value; fails with the diagnostics at the deadline. */
  const until = async <T>(what: string, check: () => Promise<T | undefined>, deadline: number): Promise<T> => {
    for (;;) {
      if (o.signal.aborted) throw new DemoInterrupted('interrupted');
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        throw new CrosstalkError('TIMEOUT', `the demo timed out waiting for ${what}\n${await diagnostics()}`, { hint: 'run `crosstalk doctor`; the logs above show where it stopped' });
      }
      await sleep(100);
    }
  };

  try {
    const deadline = Date.now() + (o.timeoutMs ?? 50_000);
    o.say('starting a private relay and two host agents (demo-linux, demo-mac)…');
    relay = await startRelay({ dataDir: join(root, 'relay'), port: 0, logLevel: 'info', logDestination: relayLog });
    const admin: RelayClient = await adminClient({ relayUrl: relay.url, adminKey: await readAdminKey(join(root, 'relay')), relayId: relay.relayId });
    for (const party of [OPENER, RESPONDER]) {
      const layout = homeLayout(join(root, party.host));
      const { invite } = await admin.createInvite({ host: party.host });
      await enroll({ relayUrl: relay.url, invite, host: party.host, layout });
      agents.push(await runAgent({ layout, logLevel: 'debug', logDestination: join(root, party.host, 'agent.log') }));
    }

    const startSession = async (party: DemoParty, opens: boolean, peer: DemoParty) => {
      const config: SessionConfig = {
        session: party.session,
        standsFor: party.standsFor,
        host: party.host,
        home: join(root, party.host),
        node: o.nodePath,
        cli: o.cliPath,
        opens,
        peer: peer.session,
        log: join(root, `${party.session}.jsonl`),
      };
      const file = join(root, `${party.session}.json`);
      await writeFile(file, JSON.stringify(config));
      panes.set(party.session, await tmux.window(party.session, [o.nodePath, o.sessionScript, file]));
      await until(`${party.session} to join`, async () => ((await admin.listSessions()).sessions.some((s) => s.name === party.session) ? true : undefined), deadline);
    };
    o.say(`starting two scripted sessions in a private tmux server (tmux -S ${tmux.socket})…`);
    await startSession(RESPONDER, false, OPENER);
    await startSession(OPENER, true, RESPONDER);

    // Follow the conversation on the relay, showing each turn as it lands.
    let shown = 0;
    const conversation = await until(
      'the conversation to be closed',
      async () => {
        const [summary] = (await admin.listConversations()).conversations;
        if (!summary) return undefined;
        const { conversation: c } = await admin.getConversation(summary.id);
        for (const t of c.turns.slice(shown)) {
          const flag = t.proposes !== undefined ? ' (proposes a decision)' : t.agrees !== undefined ? ' (agrees)' : '';
          o.say(`  turn ${t.n} · ${t.author}${flag}: ${t.body.replace(/\s+/g, ' ').slice(0, 72)}${t.body.length > 72 ? '…' : ''}`);
          shown = t.n;
        }
        return c.status === 'closed' ? c : undefined;
      },
      deadline,
    );
    o.say(`  ${conversation.id} converged and was closed by its moderator ${conversation.moderator}`);

    const copies: DemoCopy[] = [OPENER, RESPONDER].map((p) => ({ host: p.host, session: p.session, path: join(root, p.host, 'conversations', `${conversation.id}.md`) }));
    // The agents write their copies as the events reach them; wait for the closing one.
    const texts = await until(
      'both hosts to write the final copy',
      async () => {
        const read = await Promise.all(copies.map((c) => readFile(c.path, 'utf8').catch(() => '')));
        return read.every((t) => t.includes('status: "closed"')) ? read : undefined;
      },
      Date.now() + 15_000,
    );
    succeeded = true;
    return { conversation, copies, identical: texts.every((t) => t === texts[0]), markdown: texts[0] as string, kept: o.keep ? root : null };
  } finally {
    await tmux.kill();
    await Promise.all(agents.map((a) => a.stop().catch(() => undefined)));
    await relay?.close().catch(() => undefined);
    await new Promise<void>((r) => relayLog.end(() => r()));
    if (!o.keep) await rm(root, { recursive: true, force: true });
    else if (!succeeded) o.say(`kept ${root}`);
  }
}
