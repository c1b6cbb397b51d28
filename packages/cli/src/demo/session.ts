#!/usr/bin/env node
// A scripted stand-in for a coding agent, run in a tmux pane by `crosstalk demo`. Like a real
// one it puts the terminal in raw mode and takes typed lines; when crosstalk's wake-up line
// arrives it reads what is new with the real `crosstalk read --new` and answers with the real
// `crosstalk reply` (child processes with its host's CROSSTALK_HOME), as the script says for that turn.
//
//   node session.js <config.json>
import { appendFileSync, readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { DEMO_TOPIC, DEMO_TURNS, type DemoTurn } from './script.js';

export interface SessionConfig {
  session: string;
  /** The coding agent this scripted session stands in for. */
  standsFor: string;
  host: string;
  /** CROSSTALK_HOME of its host. */
  home: string;
  node: string;
  cli: string;
  /** The session that opens the conversation (with `peer`) once it has joined. */
  opens: boolean;
  peer: string;
  /** JSON lines of what happened, for the demo's diagnostics. */
  log: string;
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as SessionConfig;
process.title = 'demo-session';

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
// The fixed template of core's wakeText (kind `turn`), possibly as a reminder.
const WAKE =
  /^crosstalk: (?:reminder: )?your turn in ([a-z0-9-]+) \(turn (\d+)\/(\d+)\)\. New turns: crosstalk read [a-z0-9-]+ --new --as [a-z0-9-]+; whole conversation: (.+)\. Answer with: crosstalk reply /;

function record(event: Record<string, unknown>): void {
  appendFileSync(config.log, `${JSON.stringify({ at: new Date().toISOString(), session: config.session, ...event })}\n`);
}

function show(text: string): void {
  process.stdout.write(`${text.replace(/\n/g, '\r\n')}\r\n`);
}

async function crosstalk(args: string[]): Promise<string> {
  const result = await execa(config.node, [config.cli, ...args], {
    env: { CROSSTALK_HOME: config.home },
    timeout: 30_000,
    reject: false,
    stdin: 'ignore',
  });
  record({
    event: 'cli',
    args: args.slice(0, 3),
    exitCode: result.exitCode,
    stdout: String(result.stdout).slice(0, 500),
    stderr: String(result.stderr).slice(0, 2000),
  });
  if (result.exitCode !== 0) {
    show(`  ! crosstalk ${args[0]} failed: ${String(result.stderr).trim()}`);
    throw new Error(`crosstalk ${args[0]} exited with ${result.exitCode}`);
  }
  return String(result.stdout).trim();
}

async function answer(id: string, n: number): Promise<void> {
  // What a coding agent does first: read only what is new to it, not the whole copy again.
  show(`  $ crosstalk read ${id} --new --as ${config.session}`);
  const unseen = await crosstalk(['read', id, '--new', '--as', config.session]);
  show(`  ${unseen.split('\n').find((l) => /^(?:new since|you have not spoken|nothing new)/.test(l)) ?? ''}`);
  const step: DemoTurn | undefined = DEMO_TURNS.find((t) => t.n === n && t.by === config.session);
  if (!step) {
    show(`  (nothing scripted for turn ${n})`);
    return;
  }
  const flags = step.propose !== undefined ? ['--propose', step.propose] : step.agree ? ['--agree'] : [];
  show(`  $ crosstalk reply ${id} --as ${config.session}${flags.length ? ` ${flags[0]}` : ''}`);
  await crosstalk(['reply', id, '--as', config.session, '--body', step.body, ...flags]);
  record({ event: 'replied', id, turn: n });
  if (step.close !== undefined) {
    show(`  $ crosstalk close ${id} --as ${config.session} --resolution "${step.close}"`);
    await crosstalk(['close', id, '--as', config.session, '--resolution', step.close]);
    record({ event: 'closed', id });
  }
  show('> ');
}

let busy: Promise<void> = Promise.resolve();

function submitted(line: string): void {
  record({ event: 'line', line });
  const m = WAKE.exec(line);
  if (!m) {
    show('> ');
    return;
  }
  const [, id, n] = m;
  show(`  woken for turn ${n} in ${id}`);
  busy = busy.then(() => answer(id as string, Number(n))).catch((err: unknown) => record({ event: 'error', error: String(err) }));
}

async function start(): Promise<void> {
  // A stand-in joins as `other`: crosstalk reads a real Claude Code's or Codex's screen before
  // typing, and this one does not draw theirs.
  show(`${config.session}: a scripted stand-in for ${config.standsFor} on host ${config.host} (crosstalk demo)`);
  show(`  $ crosstalk join --as ${config.session} --kind other`);
  show(`  ${await crosstalk(['join', '--as', config.session, '--kind', 'other'])}`);
  record({ event: 'joined' });
  const first = DEMO_TURNS[0] as DemoTurn;
  if (config.opens) {
    show(`  $ crosstalk open --topic "${DEMO_TOPIC}" --with ${config.peer}`);
    const id = await crosstalk(['open', '--as', config.session, '--topic', DEMO_TOPIC, '--with', config.peer, '--body', first.body]);
    show(`  opened ${id}`);
    record({ event: 'opened', id });
  }
  show('> ');
}

// Raw mode and bracketed paste, like a coding agent's TUI; typed characters are echoed on the
// prompt line and Enter submits it.
const decoder = new StringDecoder('utf8');
let pending = '';
let line = '';
if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdout.write('\x1b[?2004h');
process.stdin.on('data', (chunk: Buffer) => {
  let s = pending + decoder.write(chunk);
  pending = '';
  while (s.length > 0) {
    if (s.startsWith(PASTE_START) || s.startsWith(PASTE_END)) {
      s = s.slice(PASTE_START.length);
      continue;
    }
    const ch = String.fromCodePoint(s.codePointAt(0) as number);
    if (ch === '\x1b' && s.length < PASTE_START.length && (PASTE_START.startsWith(s) || PASTE_END.startsWith(s))) {
      pending = s;
      break;
    }
    s = s.slice(ch.length);
    if (ch === '\r') {
      process.stdout.write('\r\n');
      submitted(line);
      line = '';
    } else if (ch === '\x03') {
      process.exit(130);
    } else if (ch >= ' ' && ch !== '\x7f') {
      line += ch;
      process.stdout.write(ch);
    }
  }
});
for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.on(sig, () => process.exit(0));

start().catch((err: unknown) => {
  record({ event: 'error', error: String(err) });
  show(`  ! ${String(err)}`);
});
