// The shape of one entry of the command table, and `command()`, which ties a command's option
// table to its handler's type: a handler that reads an option the command does not declare, or
// reads it as the wrong type, fails to compile.
import type { AnyCommandHandler, CommandHandler } from '../handler.js';
import type { OptionSpec } from '../options/types.js';

export interface CommandSpec {
  /** Words after `crosstalk`, e.g. ['relay', 'invite']. */
  path: string[];
  /** Positional arguments in commander syntax, e.g. `<id>` or `[task...]`. */
  args?: string;
  summary: string;
  /** Longer help; shown by `--help`. */
  description?: string;
  options?: readonly OptionSpec[];
  /** Prints data, so it takes `--json`. */
  json?: boolean;
  examples?: string[];
  /** Audience, for grouping the reference. */
  group: 'sessions' | 'moderation' | 'admin' | 'setup';
  load: () => Promise<{ default: AnyCommandHandler }>;
}

/** A command whose handler takes exactly the options it declares. */
export interface TypedCommandSpec<T extends readonly OptionSpec[]> extends Omit<CommandSpec, 'options' | 'load'> {
  options?: T;
  load: () => Promise<{ default: CommandHandler<NoInfer<T>> }>;
}

export function command<const T extends readonly OptionSpec[] = readonly []>(spec: TypedCommandSpec<T>): CommandSpec {
  return spec;
}
