// The stage of the spawn tests with the real coding agents: a `lead` host that asks (one session,
// lead1, polling) and a `worker` host whose policy lets lead start the real Claude Code and Codex
// under one root, each with the command line that points it at the mock model (bypassed
// permissions) and with the crosstalk hooks installed (`skill install`). Helpers spawn, read the
// first turn a spawned session posts, and kill.
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { explain, type Host } from '../../harness/index.js';
import { prepareClaudeCode } from '../launch/claude-code.js';
import { prepareCodex } from '../launch/codex.js';
import { type RealKind, Stage } from './stage.js';

export interface SpawnStage {
  stage: Stage;
  lead: Host;
  worker: Host;
  /** The directory each kind is spawned in (resolved; trusted by its coding agent). */
  cwd: Record<RealKind, string>;
  /** `tmux -S <worker's spawn socket> …`: its stdout, or null when no server runs. */
  spawnTmux(args: string[]): Promise<string | null>;
  /** The panes the worker's agent records for its spawned sessions. */
  spawnedPids(): Promise<number[]>;
}

export async function spawnStage(name: string): Promise<SpawnStage> {
  const stage = await Stage.create(name);
  const { lab, mock, bin } = stage;
  const lead = await lab.host('lead');
  const worker = await lab.host('worker');
  const socket = join(worker.home, 'spawn', 'tmux.sock');
  const spawnTmux = (args: string[]) =>
    new Promise<string | null>((resolve) =>
      execFile('tmux', ['-S', socket, ...args], { timeout: 10_000, env: { ...process.env, TMUX: undefined } }, (err, out) => resolve(err ? null : out)),
    );
  stage.onCleanup(async () => void (await spawnTmux(['kill-server'])));
  const projects = join(lab.dir, 'projects');
  const cwd = {} as Record<RealKind, string>;
  const commands: Record<string, string[]> = {};
  for (const kind of ['claude-code', 'codex'] as const) {
    await mkdir(join(projects, kind), { recursive: true });
    cwd[kind] = await realpath(join(projects, kind));
    const common = { modelUrl: mock.url, cwd: cwd[kind], pathDirs: [bin], env: { CROSSTALK_HOME: worker.home, LANG: 'C.UTF-8' } };
    const launch =
      kind === 'claude-code'
        ? await prepareClaudeCode({ ...common, permissions: 'bypass', settings: { disableAgentView: true } })
        : await prepareCodex({ ...common, permissions: 'bypass' });
    stage.onCleanup(launch.cleanup);
    const env: Record<string, string> = { HOME: launch.home, ...('codexHome' in launch ? { CODEX_HOME: String(launch.codexHome) } : {}) };
    const r = await worker.run(['skill', 'install', kind === 'claude-code' ? '--claude' : '--codex', '--json'], { env, cwd: cwd[kind] });
    if (r.exitCode !== 0) throw new Error(`skill install failed\n${explain(r)}`);
    commands[kind] = launch.argv;
  }
  const path = join(worker.home, 'config.json');
  const config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  config.spawn = { enabled: true, allow: ['lead'], kinds: ['claude-code', 'codex'], roots: [projects], maxSessions: 2, commands, readyTimeoutSeconds: 90 };
  await writeFile(path, JSON.stringify(config, null, 2));
  await lab.startAgent(lead);
  await lab.startAgent(worker);
  const joined = await lead.run(['join', '--as', 'lead1', '--no-wake']);
  if (joined.exitCode !== 0) throw new Error(explain(joined));
  const spawnedPids = async () => {
    const text = await readFile(join(worker.home, 'spawn', 'sessions.json'), 'utf8').catch(() => '{"sessions":[]}');
    return (JSON.parse(text) as { sessions: Array<{ panePid: number }> }).sessions.map((s) => s.panePid);
  };
  return { stage, lead, worker, cwd, spawnTmux, spawnedPids };
}

/** The prompt a spawned session gets: open a conversation with lead1, which the mock runs as it stands. */
export function reportPrompt(session: string): string {
  return `RUN: crosstalk open --as ${session} --topic 'report from ${session}' --with lead1 --body 'hello from ${session}'`;
}

/** The conversation the spawned session opened, once it did: its id and its first turn's relay time. */
export async function openedBy(s: SpawnStage, session: string): Promise<{ id: string; at: number }> {
  const id = await s.stage.waitFor(
    `${session} to open its conversation`,
    async () => {
      const r = await s.lead.run(['list', '--json']);
      if (r.exitCode !== 0) return undefined;
      return r.json<{ conversations: Array<{ id: string; topic: string }> }>().conversations.find((c) => c.topic === `report from ${session}`)?.id;
    },
    120_000,
  );
  const r = await s.lead.run(['read', id, '--json']);
  const c = r.json<{ conversation: { turns: Array<{ at: string }> } }>().conversation;
  return { id, at: Date.parse(c.turns[0]?.at ?? '') };
}

export { processAlive as alive } from '../../harness/index.js';
