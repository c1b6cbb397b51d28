// A scripted coding-agent session in a pane of its host's private tmux server, joined through the
// real `crosstalk join` and woken through the real agent (see scripted-agent.mjs), and what it
// recorded, read back for assertions.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliResult } from './cli.js';
import type { Host, Lab } from './lab.js';
import { CLI_BIN, NODE, SCRIPTED_AGENT } from './paths.js';

/** A command a session runs besides its reply. */
export type PlayCommand = { moderate: string[] } | { close: string };

/** What a session does about one wake-up: commands before and after its reply, or no reply. */
export interface PlayStep {
  before?: PlayCommand[];
  reply?: false | { body?: string; next?: string[]; propose?: string; agree?: boolean };
  after?: PlayCommand[];
}

/** A session's play, by conversation topic: a step per turn number, and one per time at the limit. */
export type Play = Record<string, { turns?: Record<string, PlayStep>; limit?: PlayStep[] }>;

export interface ScriptedSessionOptions {
  name: string;
  kind?: string;
  /** Answer every turn the play does not script with `crosstalk reply … --body "<reply> (turn N)"`. */
  reply?: string;
  play?: Play;
}

/** A command the session ran, as it ran it. */
export type Ran = Pick<CliResult, 'args' | 'exitCode' | 'stdout' | 'stderr'>;

/** What the session did about one wake-up line. */
export interface Acted {
  kind: 'turn' | 'limit' | 'unanswered' | 'error';
  id: string;
  turn: number;
  /** The header of the copy it read when woken. */
  copy: { topic?: string; status?: string; turns?: number; error?: string };
  ran: Ran[];
}

/** A coding-agent session in a pane of its host's tmux server: scripted here, real in test/agents. */
export interface PaneSession {
  name: string;
  host: Host;
  pane: string;
}

export interface ScriptedSession extends PaneSession {
  panePid: number;
  dir: string;
  /** `crosstalk join --json` as the session ran it in its pane. */
  joined(): Promise<Ran>;
  /** `crosstalk whoami --json` run in the pane without --as. */
  whoami(): Promise<Ran>;
  /** Every line typed into the pane and submitted. */
  lines(): Promise<string[]>;
  /** Every byte that reached the pane's input. */
  bytes(): Promise<Buffer>;
  actions(): Promise<Acted[]>;
  /** The replies it ran, with the wake-up each answered. */
  replies(): Promise<Array<Ran & { id: string; turn: number }>>;
}

const jsonl = async <T>(path: string): Promise<T[]> =>
  (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

/** Starts the session in a new window of its host's tmux server and waits until it has joined. */
export async function scriptedSession(lab: Lab, host: Host, options: ScriptedSessionOptions): Promise<ScriptedSession> {
  const dir = join(lab.dir, 'sessions', options.name);
  await mkdir(dir, { recursive: true });
  const config = { dir, cli: CLI_BIN, session: options.name, kind: options.kind ?? 'other', play: options.play, reply: options.reply };
  const { pane, panePid } = await host.tmux.window([NODE, SCRIPTED_AGENT, JSON.stringify(config)], { CROSSTALK_HOME: host.home });
  await lab.waitFor(`${options.name} to join in ${pane}`, () => readFile(join(dir, 'ready'), 'utf8').catch(() => undefined));
  const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8')) as Ran;
  const actions = () => jsonl<Acted>(join(dir, 'actions.jsonl'));
  return {
    name: options.name,
    host,
    pane,
    panePid,
    dir,
    joined: () => read('joined.json'),
    whoami: () => read('whoami.json'),
    lines: () => jsonl<string>(join(dir, 'lines.jsonl')),
    bytes: () => readFile(join(dir, 'bytes.log')),
    actions,
    replies: async () => (await actions()).flatMap((a) => (a.ran ?? []).filter((r) => r.args[0] === 'reply').map((r) => ({ ...r, id: a.id, turn: a.turn }))),
  };
}
