// `crosstalk demo`: a private relay (temp dir, port 0), two agents posing as two hosts, and two
// scripted sessions in a private tmux server, holding a real conversation through the real
// wake-up path. Everything it starts (stage.ts) is stopped and removed at the end, also when it fails.
import { join } from 'node:path';
import type { RelayClient } from '@crosstalk/client';
import type { Conversation } from '@crosstalk/core';
import { OPENER, RESPONDER } from './script.js';
import { DemoStage, readIfWritten, type SessionLauncher } from './stage.js';
import { requireTmux } from './tmux.js';

export interface DemoOptions extends SessionLauncher {
  /** Where the temp dir goes (os.tmpdir()). */
  tmpRoot: string;
  /** Base environment of tmux and the sessions (PATH, HOME, LANG). */
  env: Record<string, string | undefined>;
  keep: boolean;
  signal: AbortSignal;
  /** Progress for humans (stderr). */
  say(line: string): void;
  timeoutMs?: number;
}

interface DemoCopy {
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

/** Shows each turn as it lands on the relay; resolves with the conversation once it is closed. */
async function showConversation(stage: DemoStage, admin: RelayClient, say: (line: string) => void, deadline: number): Promise<Conversation> {
  let shown = 0;
  const closed = async () => {
    const [summary] = (await admin.listConversations()).conversations;
    if (!summary) return undefined;
    const { conversation: c } = await admin.getConversation(summary.id);
    for (const t of c.turns.slice(shown)) {
      const flag = t.proposes !== undefined ? ' (proposes a decision)' : t.agrees !== undefined ? ' (agrees)' : '';
      say(`  turn ${t.n} · ${t.author}${flag}: ${t.body.replace(/\s+/g, ' ').slice(0, 72)}${t.body.length > 72 ? '…' : ''}`);
      shown = t.n;
    }
    return c.status === 'closed' ? c : undefined;
  };
  return stage.until('the conversation to be closed', closed, deadline);
}

/** Both hosts' copies, once the agents have written the closing state. */
async function finalCopies(stage: DemoStage, conversation: Conversation): Promise<{ copies: DemoCopy[]; texts: string[] }> {
  const copies: DemoCopy[] = [OPENER, RESPONDER].map((p) => ({
    host: p.host,
    session: p.session,
    path: join(stage.root, p.host, 'conversations', `${conversation.id}.md`),
  }));
  // The agents write their copies as the events reach them; wait for the closing one.
  const final = async () => {
    const read = await Promise.all(copies.map(async (c) => (await readIfWritten(c.path)) ?? ''));
    return read.every((t) => t.includes('status: "closed"')) ? read : undefined;
  };
  return { copies, texts: await stage.until('both hosts to write the final copy', final, Date.now() + 15_000) };
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const env = { ...o.env, LANG: o.env.LANG || 'C.UTF-8', TMUX: undefined, TMUX_PANE: undefined, CROSSTALK_HOME: undefined };
  await requireTmux(env);
  const stage = await DemoStage.create(o.tmpRoot, env, o.signal);
  let succeeded = false;
  try {
    const deadline = Date.now() + (o.timeoutMs ?? 50_000);
    o.say('starting a private relay and two host agents (demo-linux, demo-mac)…');
    const admin = await stage.startHosts();
    o.say(`starting two scripted sessions in a private tmux server (tmux -S ${stage.tmux.socket})…`);
    await stage.startSession(o, admin, RESPONDER, false, OPENER, deadline);
    await stage.startSession(o, admin, OPENER, true, RESPONDER, deadline);
    const conversation = await showConversation(stage, admin, (line) => o.say(line), deadline);
    o.say(`  ${conversation.id} converged and was closed by its moderator ${conversation.moderator}`);
    const { copies, texts } = await finalCopies(stage, conversation);
    succeeded = true;
    return { conversation, copies, identical: texts.every((t) => t === texts[0]), markdown: texts[0] as string, kept: o.keep ? stage.root : null };
  } finally {
    await stage.tearDown(o.keep);
    if (o.keep && !succeeded) o.say(`kept ${stage.root}`);
  }
}
