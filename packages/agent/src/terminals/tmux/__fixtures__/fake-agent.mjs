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
import { takeLines } from './tui-input.mjs';

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
const bytesLog = join(dir, 'bytes.log');
const linesLog = join(dir, 'lines.jsonl');
writeFileSync(bytesLog, '');
writeFileSync(linesLog, '');

takeLines({
  onLine: (line) => appendFileSync(linesLog, `${JSON.stringify(line)}\n`),
  onBytes: (chunk) => appendFileSync(bytesLog, chunk),
  prompt: '> ',
  takesEnter: !argv.includes('--ignore-enter'),
});
process.stdout.write('fake agent ready\r\n> ');

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
