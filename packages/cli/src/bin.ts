#!/usr/bin/env node
// The only place that reads process.env and calls process.exit. `crosstalk` and
// `crosstalk --help` print a help text generated at build time, so they start almost as fast as
// node itself; `crosstalk hook`, which coding agents run on every turn, loads only its own small
// module; everything else loads the program and only the command that runs.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

const argv = process.argv.slice(2);

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
  const [{ main }, { createContext }] = await Promise.all([import('./main.js'), import('./context.js')]);
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await main(argv, createContext(process, controller.signal));
  exit(code);
}
