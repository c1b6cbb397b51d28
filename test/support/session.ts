// A scripted coding-agent session in a pane of the lab's private tmux server, joined through the
// real `crosstalk join` and woken through the real agent (see fixtures/tui-session.mjs).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliResult } from './cli.js';
import type { Host, Lab } from './lab.js';
import { CLI_BIN, fixture, NODE } from './paths.js';

export interface ScriptedSessionOptions {
  name: string;
  kind?: string;
  /** Answer every wake-up with `crosstalk reply <id> --body "<reply> (turn N)"`. */
  reply?: string;
}

type Ran = Pick<CliResult, 'exitCode' | 'stdout' | 'stderr'>;

export interface ScriptedSession {
  name: string;
  pane: string;
  panePid: number;
  dir: string;
  /** `crosstalk join --json` as the session ran it in its pane. */
  joined(): Promise<Ran>;
  /** `crosstalk whoami --json` run in the pane without --as. */
  whoami(): Promise<Ran>;
  /** Every line typed into the pane and submitted. */
  lines(): Promise<string[]>;
  replies(): Promise<Array<Ran & { id: string; turn: number }>>;
}

const jsonl = async <T>(path: string): Promise<T[]> =>
  (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

/** Starts the session in a new window and waits until it has joined. */
export async function scriptedSession(lab: Lab, host: Host, options: ScriptedSessionOptions): Promise<ScriptedSession> {
  const tmux = await lab.tmux();
  const dir = join(lab.dir, `session-${options.name}`);
  await mkdir(dir, { recursive: true });
  const argv = [NODE, fixture('tui-session.mjs'), '--dir', dir, '--cli', CLI_BIN, '--as', options.name, '--kind', options.kind ?? 'other'];
  if (options.reply !== undefined) argv.push('--reply', options.reply);
  const { pane, panePid } = await tmux.window(argv, { CROSSTALK_HOME: host.home });
  await lab.waitFor(`${options.name} to join in ${pane}`, () => readFile(join(dir, 'ready'), 'utf8').catch(() => undefined));
  const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8')) as Ran;
  return {
    name: options.name,
    pane,
    panePid,
    dir,
    joined: () => read('joined.json'),
    whoami: () => read('whoami.json'),
    lines: () => jsonl<string>(join(dir, 'lines.jsonl')),
    replies: () => jsonl<Ran & { id: string; turn: number }>(join(dir, 'replies.jsonl')),
  };
}
