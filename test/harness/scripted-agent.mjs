// A scripted coding agent for a tmux pane, the one every end-to-end suite puts in its panes. Like a
// real TUI it puts the terminal in raw mode and asks for bracketed paste, echoes what is typed on a
// prompt line and takes it on Enter. At start it joins its session with the real CLI (a child
// process, so the pane's TMUX and TMUX_PANE reach it) and asks `crosstalk whoami`. Given a play or
// a reply, it acts on each wake-up line with the real CLI: it reads the copy the line names, then
// replies (with --next, --propose, --agree), moderates or closes as its play says. Without either
// it only records. Everything is recorded in `dir`:
//   bytes.log               every byte that reached the pane's input
//   lines.jsonl             every line taken with Enter
//   actions.jsonl           per wake-up acted on: what it read in the copy and every command it ran
//   joined.json, whoami.json  the results of those commands; `ready` once joined
//
//   node scripted-agent.mjs '<json: {dir, cli, session, kind, play, reply}>'
// Started by `crosstalk spawn` instead (already joined by its host agent), it takes
// {dirBase, cli, join: false, hook: true, reply}: its session is CROSSTALK_SESSION, its dir
// dirBase/<session>, and it reports its start as Claude Code does, with a SessionStart hook.
// reply: the body of every reply the play does not script, as "<reply> (turn N)".
// play: { "<topic>": { turns: { "<n>": Step }, limit: [Step, ...] } }
// Step: { before?: Action[], reply?: false | {body?, next?, propose?, agree?}, after?: Action[] }
// Action: { moderate: ["--add", "x"] } | { close: "resolution" }
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeLines } from '../../packages/agent/src/terminals/tmux/__fixtures__/tui-input.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const session = config.session ?? process.env.CROSSTALK_SESSION;
const dir = config.dir ?? (config.dirBase && session ? join(config.dirBase, session) : undefined);
const { cli, kind = 'other', play, reply } = config;
if (!dir || !cli || !session || !process.stdin.isTTY) {
  process.stderr.write('scripted-agent: needs dir, cli, session and a terminal\n');
  process.exit(2);
}
process.title = 'scripted-agent';
const acts = play !== undefined || reply !== undefined;

const TURN =
  /^crosstalk: (?:reminder: )?your turn in ([a-z0-9-]+) \(turn (\d+)\/(\d+)\)\. New turns: crosstalk read [a-z0-9-]+ --new --as [a-z0-9-]+; whole conversation: (.+)\. Answer with: crosstalk reply ([a-z0-9-]+) --as ([a-z0-9-]+) --expect-turn (\d+)$/;
const LIMIT =
  /^crosstalk: (?:reminder: )?([a-z0-9-]+) reached its limit of (\d+) turns; you moderate it\. New turns: crosstalk read [a-z0-9-]+ --new --as [a-z0-9-]+; whole conversation: (.+)\. Extend: /;
const UNANSWERED =
  /^crosstalk: ([a-z0-9-]+) has not answered in ([a-z0-9-]+); you moderate it\. New turns: crosstalk read [a-z0-9-]+ --new --as [a-z0-9-]+; whole conversation: (.+)\. Hand the floor on: /;

const record = (file, value) => appendFileSync(join(dir, file), `${JSON.stringify(value)}\n`);

function crosstalk(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ args, exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The header of a copy: what the session sees when it reads the file. */
function readCopy(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { error: String(err) };
  }
  const header = text.slice(0, text.indexOf('\n---\n', 4) + 1);
  const field = (name) => {
    const m = new RegExp(`^${name}: (.*)$`, 'm').exec(header);
    return m ? JSON.parse(m[1]) : undefined;
  };
  return { topic: field('topic'), status: field('status'), turns: field('turns'), next: field('next'), moderator: field('moderator'), bytes: text.length };
}

const limitsSeen = new Map();

async function runActions(id, actions, ran) {
  for (const action of actions ?? []) {
    if (action.moderate) ran.push(await crosstalk(['moderate', id, ...action.moderate, '--as', session, '--json']));
    else if (action.close) ran.push(await crosstalk(['close', id, '--resolution', action.close, '--as', session, '--json']));
  }
}

function replyArgs(id, n, r) {
  const body = r.body ?? (reply !== undefined ? `${reply} (turn ${n})` : `${session} answers turn ${n}.`);
  const args = ['reply', id, '--as', session, '--body', body, '--expect-turn', String(n), '--json'];
  if (r.next) args.push('--next', r.next.join(','));
  if (r.propose !== undefined) args.push('--propose', r.propose);
  if (r.agree) args.push('--agree');
  return args;
}

async function onTurn(id, n, path) {
  const copy = readCopy(path);
  const step = play?.[copy.topic]?.turns?.[String(n)] ?? {};
  const ran = [];
  await runActions(id, step.before, ran);
  if (step.reply !== false) ran.push(await crosstalk(replyArgs(id, n, step.reply ?? {})));
  await runActions(id, step.after, ran);
  record('actions.jsonl', { kind: 'turn', id, turn: n, copy, ran });
}

async function onLimit(id, path) {
  const copy = readCopy(path);
  const k = limitsSeen.get(id) ?? 0;
  limitsSeen.set(id, k + 1);
  const step = play?.[copy.topic]?.limit?.[k] ?? {};
  const ran = [];
  await runActions(id, step.before, ran);
  record('actions.jsonl', { kind: 'limit', id, turn: copy.turns + 1, copy, ran });
}

/** What a wake-up line asks of this session, as a step to queue; null for any other line. */
function stepFor(line) {
  let m;
  if ((m = TURN.exec(line))) return () => onTurn(m[1], Number(m[2]), m[4]);
  if ((m = LIMIT.exec(line))) return () => onLimit(m[1], m[3]);
  if ((m = UNANSWERED.exec(line))) return () => record('actions.jsonl', { kind: 'unanswered', id: m[2], silent: m[1], copy: readCopy(m[3]), ran: [] });
  return null;
}

/** @type {Promise<unknown>} */
let queue = Promise.resolve();
function submitted(line) {
  record('lines.jsonl', line);
  const step = acts ? stepFor(line) : null;
  if (!step) return;
  queue = queue
    .then(step)
    .then(() => process.stdout.write('acted\r\n> '))
    .catch((err) => record('actions.jsonl', { kind: 'error', error: String(err) }));
}

mkdirSync(dir, { recursive: true });
for (const f of ['bytes.log', 'lines.jsonl', 'actions.jsonl']) writeFileSync(join(dir, f), '');
// A fresh prompt after each line, as a TUI redraws after taking one.
takeLines({ onLine: submitted, onBytes: (chunk) => appendFileSync(join(dir, 'bytes.log'), chunk), prompt: '> ' });
for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(0));

if (config.join !== false) {
  const joined = await crosstalk(['join', '--as', session, '--kind', kind, '--json']);
  writeFileSync(join(dir, 'joined.json'), JSON.stringify(joined));
}
if (config.hook) {
  const start = { hook_event_name: 'SessionStart', session_id: `scripted-${process.pid}`, source: 'startup', cwd: process.cwd() };
  await new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, 'hook', 'claude-code'], { timeout: 30_000 }, resolve);
    child.stdin.end(JSON.stringify(start));
  });
}
writeFileSync(join(dir, 'whoami.json'), JSON.stringify(await crosstalk(['whoami', '--json'])));
process.stdout.write(`${session} ready\r\n> `);
writeFileSync(join(dir, 'cwd'), process.cwd());
writeFileSync(join(dir, 'ready'), String(process.pid));
