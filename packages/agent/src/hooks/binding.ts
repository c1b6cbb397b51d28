// Which joined session a hook speaks for. Claude Code runs its hooks as its own children, in its
// pane's environment: the pane it names is its own. Codex may run a session in a background
// process whose environment names whichever pane started that process, so its pane counts only
// when the hook really descends from the pane's first process. A hook from no tmux pane counts for
// a console session (Windows) when it descends from the process joined with that console. Failing that, a prompt that is a
// wake-up line just typed into a session's pane names that session. Either way the coding agent's
// own session id is bound to the session, and later hooks are matched by id alone.
import type { WakeTarget } from '@crosstalk/core';
import type { HookReport } from './report.js';

export interface BindingSession {
  name: string;
  wake: WakeTarget;
}

export interface BinderDeps {
  /** The sessions joined on this host. */
  sessions(): readonly BindingSession[];
  /** A process and its ancestors, nearest first; empty when it cannot be read. */
  ancestry(pid: number): Promise<number[]>;
  now(): number;
}

/** A typed wake-up line names its session this long after it was typed. */
const TYPED_LINE_MS = 10 * 60_000;
/** Ids remembered at most; the oldest go first. */
const MAX_BOUND = 2_000;

export class SessionBinder {
  private readonly bound = new Map<string, string>();
  private readonly typed = new Map<string, { line: string; at: number }>();

  constructor(private readonly deps: BinderDeps) {}

  /** A wake-up line was typed into this session's terminal. */
  noteTyped(session: string, line: string): void {
    this.typed.set(session, { line, at: this.deps.now() });
  }

  /** The coding agent's session id bound to a joined session, if any. */
  agentSessionOf(session: string): string | undefined {
    for (const [id, name] of this.bound) if (name === session) return id;
    return undefined;
  }

  /** The joined session this hook is about, or null when it is about none of them. */
  async resolve(report: HookReport): Promise<string | null> {
    const sessions = this.deps.sessions();
    const known = (name: string | undefined) => (name !== undefined && sessions.some((s) => s.name === name) ? name : null);
    if (report.agentSession !== null) {
      const byId = known(this.bound.get(report.agentSession));
      if (byId) return byId;
    }
    const found = (await this.byPane(report, sessions)) ?? this.byTypedLine(report);
    if (found && report.agentSession !== null) this.bind(report.agentSession, found);
    return found;
  }

  private async byPane(report: HookReport, sessions: readonly BindingSession[]): Promise<string | null> {
    if (report.tmuxPane === null || report.tmuxSocket === null) return this.byConsole(report, sessions);
    const session = sessions.find((s) => s.wake.type === 'tmux' && s.wake.pane === report.tmuxPane && s.wake.socket === report.tmuxSocket);
    if (session?.wake.type !== 'tmux') return null;
    if (report.agent === 'claude-code') return session.name;
    const panePid = session.wake.panePid;
    if (panePid === undefined) return null;
    return (await this.deps.ancestry(report.ppid)).includes(panePid) ? session.name : null;
  }

  /** A console session (Windows): the hook descends from the process joined with that console. */
  private async byConsole(report: HookReport, sessions: readonly BindingSession[]): Promise<string | null> {
    const consoles = sessions.filter((s) => s.wake.type === 'console');
    if (consoles.length === 0) return null;
    const chain = await this.deps.ancestry(report.ppid);
    return consoles.find((s) => s.wake.type === 'console' && chain.includes(s.wake.pid))?.name ?? null;
  }

  private byTypedLine(report: HookReport): string | null {
    const prompt = report.prompt?.trim();
    if (!prompt) return null;
    const now = this.deps.now();
    for (const [session, typed] of this.typed) {
      if (now - typed.at <= TYPED_LINE_MS && prompt.includes(typed.line)) return session;
    }
    return null;
  }

  private bind(agentSession: string, session: string): void {
    this.bound.delete(agentSession);
    this.bound.set(agentSession, session);
    if (this.bound.size > MAX_BOUND) {
      const oldest = this.bound.keys().next().value;
      if (oldest !== undefined) this.bound.delete(oldest);
    }
  }
}
