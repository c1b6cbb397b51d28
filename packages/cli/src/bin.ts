#!/usr/bin/env node
// The only place that reads process.env and calls process.exit. `crosstalk` and
// `crosstalk --help` print a help text generated at build time, so they start almost as fast as
// node itself; everything else loads the program and only the command that runs.
import { readFileSync } from 'node:fs';

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
