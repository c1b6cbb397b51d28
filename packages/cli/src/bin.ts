#!/usr/bin/env node
// The only place that reads process.env and calls process.exit. `crosstalk` and
// `crosstalk --help` print a help text generated at build time, so they start almost as fast as
// node itself; `crosstalk hook`, which coding agents run on every turn, loads only its own small
// module; the commands a session runs on its turns (FAST_COMMANDS)
// skip the program when their command line has a plain shape (fast/entry.ts); everything else loads
// the program and only the command that runs.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

const argv = process.argv.slice(2);
// What a coding-agent session runs on its turns: posting through this host's agent, reading,
// waiting. The fast entry holds the posting commands itself (scripts/bundle.mjs); the module of
// each other one starts loading with the fast entry, not after it.
const none = async () => undefined;
const FAST_COMMANDS: Record<string, () => Promise<unknown>> = {
  reply: none,
  open: none,
  moderate: none,
  close: none,
  ask: () => import('./commands/ask.js'),
  wait: () => import('./commands/wait.js'),
  read: () => import('./commands/read.js'),
  status: () => import('./commands/status.js'),
};

function fastHelp(): boolean {
  if (!(argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')))) return false;
  try {
    process.stdout.write(readFileSync(new URL('./help.txt', import.meta.url), 'utf8'));
    return true;
  } catch {
    // Any failure to read the rendered text falls back to the program, which prints the same help.
    return false;
  }
}

function exit(code: number): void {
  // Let stdout drain before exiting, or piped output could be cut short.
  process.stdout.write('', () => process.exit(code));
}

if (fastHelp()) {
  process.exitCode = 0;
} else if (argv[0] === 'hook' && !argv.includes('--help') && !argv.includes('-h')) {
  const { runHook } = await import('./hook/run.js');
  const code = await runHook({
    args: argv.slice(1),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    platform: process.platform,
    userHome: homedir(),
    pid: process.pid,
    ppid: process.ppid,
    uid: process.getuid?.() ?? 0,
  });
  exit(code);
} else {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const context = async () => {
    const { createContext } = await import('./context.js');
    return () => createContext(process, controller.signal);
  };
  let code: number | null = null;
  const command = Object.hasOwn(FAST_COMMANDS, argv[0] ?? '') ? FAST_COMMANDS[argv[0] as string] : undefined;
  if (command) {
    // Loaded again by the command table when it runs: the same module, already there.
    const preload = command().catch(() => undefined);
    const [{ runFast, createContext }] = await Promise.all([import('./fast/entry.js'), preload]);
    code = await runFast(argv, () => createContext(process, controller.signal));
  }
  if (code === null) {
    const [{ main }, base] = await Promise.all([import('./main.js'), context()]);
    code = await main(argv, base());
  }
  exit(code);
}
