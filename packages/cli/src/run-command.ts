// Runs one command once its command line is read, by the full program (main.ts) or by the fast
// entry (fast/entry.ts): the options checked, the handler loaded and run, its result printed. One
// code for both, so a command prints the same whichever read its command line.
import { EXIT } from '@crosstalk/core/errors';
import type { CliContext } from './handler.js';
import { parseOptions } from './options/parse.js';
import { printResult } from './output.js';
import type { CommandSpec } from './spec/command.js';

/** The exit code of the command; throws what the handler throws (the caller prints it). */
export async function runCommand(ctx: CliContext, spec: CommandSpec, args: string[], given: Record<string, unknown>): Promise<number> {
  const checked = parseOptions(spec.options ?? [], given);
  const { default: handler } = await spec.load();
  // The table forgets each handler's option type; command() checked it against the same options.
  const result = await handler(ctx, args, checked as never);
  printResult(ctx, result);
  return result?.exitCode ?? EXIT.ok;
}
