// The fast entry: runs a command a session runs on its turns (bin.ts says which) without commander
// and without the program's table of every command, when its command line has a shape fast/argv.ts
// reads. The command runs as the full program runs it (run-command.ts): same checks, same handler,
// same output, same exit code. Any other command line is left to the full program (null).
import type { CliContext } from '../handler.js';
// The entry script takes the context from here: one module fewer to load on the fast path.
export { createContext } from '../context.js';
import { printError } from '../output.js';
import { runCommand } from '../run-command.js';
import type { CommandSpec } from '../spec/command.js';
import { MODERATION_COMMANDS } from '../spec/moderation.js';
import { SESSIONS_COMMANDS } from '../spec/sessions.js';
import { readCommandLine } from './argv.js';

/** A one-word command of the sessions' and the moderators' tables. */
function specOf(word: string | undefined): CommandSpec | undefined {
  return [...SESSIONS_COMMANDS, ...MODERATION_COMMANDS].find((c) => c.path.length === 1 && c.path[0] === word);
}

/** The exit code, or null when the full program must read this command line. */
export async function runFast(argv: readonly string[], base: () => Omit<CliContext, 'json'>): Promise<number | null> {
  const spec = specOf(argv[0]);
  const line = spec ? readCommandLine(argv, spec) : null;
  if (!spec || !line) return null;
  // Not a spread: it would open stdin (context.ts), which only a body read from it needs.
  const ctx: CliContext = Object.assign(base(), { json: line.given.json === true });
  try {
    return await runCommand(ctx, spec, line.args, line.given);
  } catch (err) {
    return printError(ctx, err);
  }
}
