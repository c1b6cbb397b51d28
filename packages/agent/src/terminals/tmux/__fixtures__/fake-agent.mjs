// A stand-in coding agent for wake-up tests. Like real TUIs it puts the terminal in raw mode and
// asks for bracketed paste; it echoes input on a prompt line, submits on '\r', and records every
// byte it receives (bytes.log) and every submitted line (lines.jsonl, one JSON string a line).
//
//   node fake-agent.mjs --dir <dir> [--title <name>] [--ignore-enter] [--tool <script> <out>]
//
// --ignore-enter: never submit (an application that does not take the Enter).
// --tool: start `sh -c '<node> <script> <out>; true'` as a child, like an agent's shell tool.
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dir = opt('--dir');
if (!dir || !process.stdin.isTTY) {
  process.stderr.write('fake-agent: needs --dir and a terminal\n');
  process.exit(2);
}
process.title = opt('--title') ?? 'fake-agent';
const ignoreEnter = argv.includes('--ignore-enter');
const bytesLog = join(dir, 'bytes.log');
const linesLog = join(dir, 'lines.jsonl');
writeFileSync(bytesLog, '');
writeFileSync(linesLog, '');

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
const decoder = new StringDecoder('utf8');
let pending = '';
let line = '';

process.stdin.setRawMode(true);
process.stdout.write('\x1b[?2004h');
process.stdout.write('fake agent ready\r\n> ');

process.stdin.on('data', (chunk) => {
  appendFileSync(bytesLog, chunk);
  let s = pending + decoder.write(chunk);
  pending = '';
  while (s.length > 0) {
    if (s.startsWith(PASTE_START) || s.startsWith(PASTE_END)) {
      s = s.slice(PASTE_START.length);
      continue;
    }
    const ch = String.fromCodePoint(s.codePointAt(0));
    if (ch === '\x1b' && s.length < PASTE_START.length && (PASTE_START.startsWith(s) || PASTE_END.startsWith(s))) {
      pending = s; // an escape sequence split across reads
      break;
    }
    s = s.slice(ch.length);
    if (ch === '\r') {
      if (ignoreEnter) continue;
      appendFileSync(linesLog, `${JSON.stringify(line)}\n`);
      line = '';
      process.stdout.write('\r\n> ');
    } else if (ch >= ' ' && ch !== '\x7f' && !(ch >= '\x80' && ch <= '\x9f')) {
      line += ch;
      process.stdout.write(ch);
    }
  }
});

process.on('SIGTERM', () => {
  process.stdout.write('\x1b[?2004l');
  process.exit(0);
});

const tool = opt('--tool');
if (tool) {
  const out = argv[argv.indexOf('--tool') + 2];
  spawn('/bin/sh', ['-c', '"$0" "$1" "$2"; true', process.execPath, tool, out], { stdio: 'ignore' });
}

writeFileSync(join(dir, 'ready'), String(process.pid));
