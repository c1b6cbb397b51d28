// Builds the commander program from the command table. Commander never exits the process here
// and prints no error of its own: main.ts prints usage errors like every other (exit 2).
import { Command, CommanderError, Option } from 'commander';
import { CROSSTALK_VERSION as VERSION } from '@crosstalk/core/protocol';
import { COMMANDS, type CommandSpec } from './commands.js';

const GROUP_TITLES: Record<CommandSpec['group'], string> = {
  sessions: 'For coding-agent sessions',
  moderation: 'For humans and moderators',
  setup: 'Getting started',
  admin: 'Relay and agent administration',
};

const EXIT_CODES = `Exit codes: 0 ok, 1 error, 2 usage, 3 not your turn or conflict, 4 auth,
5 relay unreachable, 10 conversation ended (wait), 124 timeout, 130 interrupted. See docs/ERRORS.md.`;

/** A summary as help prints it: a sentence, starting with a capital. */
export const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

export type Runner = (spec: CommandSpec, args: string[], options: Record<string, unknown>) => Promise<void>;

export interface ProgramIo {
  writeOut: (s: string) => void;
  writeErr: (s: string) => void;
}

/** Help and version go where io says; errors are thrown to main.ts, which prints them. */
const output = (io: ProgramIo) => ({ writeOut: io.writeOut, writeErr: io.writeErr, outputError: () => undefined });

function rootHelpExtra(): string {
  const lines: string[] = [''];
  for (const group of Object.keys(GROUP_TITLES) as CommandSpec['group'][]) {
    lines.push(`${GROUP_TITLES[group]}:`);
    for (const spec of COMMANDS.filter((c) => c.group === group)) {
      const usage = [spec.path.join(' '), spec.args ?? ''].join(' ').trim();
      lines.push(`  ${usage.padEnd(30)} ${sentence(spec.summary)}`);
    }
    lines.push('');
  }
  lines.push('Run `crosstalk <command> --help` for options and examples.', '', EXIT_CODES, '');
  return lines.join('\n');
}

export function buildProgram(run: Runner, io: ProgramIo): Command {
  const program = new Command('crosstalk')
    .description('Moderated, turn-based conversations between coding-agent sessions across machines.')
    .version(VERSION, '-V, --version')
    // Options of the program (-V) only before the command: a value such as `--body -V…` or an
    // invite code starting with `-V` belongs to the command, not to the program.
    .enablePositionalOptions()
    .helpCommand(false)
    .configureOutput(output(io))
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ visibleCommands: () => [] })
    .addHelpText('after', rootHelpExtra());

  const parents = new Map<string, Command>();
  for (const spec of COMMANDS) {
    let parent = program;
    for (const word of spec.path.slice(0, -1)) {
      let group = parents.get(word);
      if (!group) {
        group = program
          .command(word)
          .description(`${sentence(word)} commands`)
          .helpCommand(false)
          .configureHelp({})
          .configureOutput(output(io))
          .exitOverride();
        parents.set(word, group);
      }
      parent = group;
    }
    const name = spec.path[spec.path.length - 1] as string;
    const cmd = parent
      .command(`${name}${spec.args ? ` ${spec.args}` : ''}`)
      // The list of a group's commands shows the summary; the command's own help, all of it.
      .summary(sentence(spec.summary))
      .description(spec.description ? `${sentence(spec.summary)}.\n\n${spec.description}` : `${sentence(spec.summary)}.`);
    cmd.configureOutput(output(io)).exitOverride();
    for (const o of spec.options ?? []) {
      const option = new Option(o.flags, o.description);
      if (o.default !== undefined) option.default(o.default);
      cmd.addOption(option);
    }
    if (spec.json) cmd.option('--json', 'print machine-readable JSON on stdout');
    const after = [...(spec.examples?.length ? ['', 'Examples:', ...spec.examples.map((e) => `  $ ${e}`)] : []), '', EXIT_CODES];
    cmd.addHelpText('after', after.join('\n'));
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const options = command.opts();
      const args = command.args;
      await run(spec, args, options);
    });
  }
  for (const group of parents.values()) {
    group.action(() => {
      throw new CommanderError(2, 'crosstalk.missingSubcommand', 'missing subcommand');
    });
  }
  return program;
}
