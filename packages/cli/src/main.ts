// Runs one crosstalk invocation and returns its exit code. The entry script (bin.ts) owns the
// process: it reads the environment once, calls main, and exits.
import { CommanderError } from 'commander';
import { EXIT } from '@crosstalk/core/errors';
import type { CliContext } from './handler.js';
import { printError } from './output.js';
import { buildProgram } from './program.js';
import { runCommand } from './run-command.js';
import { unknownCommand, usageError } from './usage.js';

export async function main(argv: string[], base: Omit<CliContext, 'json'>): Promise<number> {
  let exitCode: number = EXIT.ok;
  let json = argv.includes('--json');
  const io = { writeOut: (s: string) => void base.stdout.write(s), writeErr: (s: string) => void base.stderr.write(s) };
  const program = buildProgram(async (spec, args, options) => {
    json = options.json === true;
    exitCode = await runCommand({ ...base, json }, spec, args, options);
  }, io);
  const unknown = unknownCommand(argv);
  if (unknown) return printError({ ...base, json }, unknown);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; everything else is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return printError({ ...base, json }, usageError(err.message, argv));
    }
    return printError({ ...base, json }, err);
  }
}
