// Test support for the tmux waker: a private tmux server (private-tmux.ts) with fake coding agents
// in its panes, shells to start them under, and a tmux that notes what the waker asks of it.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WakeTarget } from '@crosstalk/core';
import { waitFor } from '@crosstalk/core/test-support';
import { PrivateTmux, type Pane } from './private-tmux.js';

export const FAKE_AGENT = fileURLToPath(new URL('./fake-agent.mjs', import.meta.url));
export const TOOL_STUB = fileURLToPath(new URL('./tool-stub.mjs', import.meta.url));

/** Whether the screen ends with a shell prompt (`$ `, or `# ` for root). */
export function promptShown(screen: string): boolean {
  return /[$#]$/.test(screen.trimEnd());
}

/**
 * A tmux binary for the waker that notes the command of each call (the word after `-S <socket>`)
 * in a file, then runs the real tmux: how many processes a wake-up starts, and which.
 */
export function recordingTmux(dir: string): { path: string; calls(): string[]; clear(): void } {
  const path = join(dir, 'tmux-recorder');
  const log = join(dir, 'tmux-calls.log');
  if (/['\\]/.test(dir)) throw new Error(`unusable directory for the tmux recorder: ${dir}`);
  writeFileSync(log, '');
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$3" >> '${log}'\nexec tmux "$@"\n`);
  chmodSync(path, 0o755);
  return {
    path,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    clear: () => writeFileSync(log, ''),
  };
}

export interface AgentPane {
  pane: string;
  panePid: number;
  /** The fake agent's own pid. */
  agentPid: number;
  dir: string;
  bytes(): Buffer;
  lines(): string[];
}

export class TmuxLab {
  private panes: AgentPane[] = [];
  private counter = 0;

  private constructor(
    readonly dir: string,
    private readonly server: PrivateTmux,
  ) {}

  static async start(): Promise<TmuxLab> {
    const dir = mkdtempSync(join(tmpdir(), 'ct-wake-'));
    const env = { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8' };
    const lab = new TmuxLab(dir, new PrivateTmux(join(dir, 'sock'), env, { width: 120, height: 30 }));
    await lab.server.start();
    return lab;
  }

  get socket(): string {
    return this.server.socket;
  }

  /** The wake target `crosstalk join` would record for a fake agent's pane here; `extra` changes fields. */
  target(agent: AgentPane, extra: Partial<Extract<WakeTarget, { type: 'tmux' }>> = {}): WakeTarget {
    return { type: 'tmux', pane: agent.pane, socket: this.socket, panePid: agent.panePid, agentCommand: 'fake-agent', ...extra };
  }

  tmux(args: string[]): Promise<string> {
    return this.server.run(args);
  }

  /** A new window running `argv` directly (no shell); returns its pane id and pid. */
  window(argv: string[]): Promise<Pane> {
    return this.server.window(argv);
  }

  private agentArgs(name: string, extra: string[]): { dir: string; argv: string[] } {
    const dir = join(this.dir, `${name}-${++this.counter}`);
    freshDir(dir);
    return { dir, argv: [process.execPath, FAKE_AGENT, '--dir', dir, ...extra] };
  }

  private async ready(pane: string, panePid: number, dir: string): Promise<AgentPane> {
    const agentPid = await waitFor(`fake agent in ${pane}`, () => existsSync(join(dir, 'ready')) && Number(readFileSync(join(dir, 'ready'), 'utf8')), {
      logs: () => this.logs(),
    });
    await waitFor(`prompt in ${pane}`, async () => (await this.capture(pane)).includes('fake agent ready'), { logs: () => this.logs() });
    const agent: AgentPane = {
      pane,
      panePid,
      agentPid,
      dir,
      bytes: () => readFileSync(join(dir, 'bytes.log')),
      lines: () =>
        readFileSync(join(dir, 'lines.jsonl'), 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as string),
    };
    this.panes.push(agent);
    return agent;
  }

  /** A pane whose first process is the fake agent. */
  async agentPane(extra: string[] = []): Promise<AgentPane> {
    const { dir, argv } = this.agentArgs('agent', extra);
    const { pane, panePid } = await this.window(argv);
    return this.ready(pane, panePid, dir);
  }

  /** A pane running an interactive `sh`, in which the fake agent is started as a command. */
  async agentUnderShell(extra: string[] = []): Promise<AgentPane> {
    const { dir, argv } = this.agentArgs('shell-agent', extra);
    const { pane, panePid } = await this.shellPane();
    await this.tmux(['send-keys', '-t', pane, '-l', argv.join(' ')]);
    await this.tmux(['send-keys', '-t', pane, 'Enter']);
    return this.ready(pane, panePid, dir);
  }

  /** A pane running an interactive `sh`, once its prompt shows. */
  async shellPane(): Promise<Pane> {
    const shell = await this.window(['/bin/sh']);
    await waitFor(`shell prompt in ${shell.pane}`, async () => promptShown(await this.capture(shell.pane)), { logs: () => this.logs() });
    return shell;
  }

  capture(pane: string): Promise<string> {
    return this.server.capture(pane);
  }

  /** Every pane's screen and every fake agent's byte log, for failure messages. */
  async logs(): Promise<string> {
    const parts = [await this.server.screens()];
    for (const p of this.panes) {
      try {
        parts.push(`--- ${p.dir} bytes: ${JSON.stringify(p.bytes().toString('utf8'))}\nlines: ${JSON.stringify(p.lines())}`);
      } catch {
        // The directory may not exist yet.
      }
    }
    return parts.join('\n');
  }

  async stop(): Promise<void> {
    await this.server.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freshDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
