// Every crosstalk command, declared as data: the program, `--help`, the README reference and
// docs/CLI.md are all built from this table (one file per audience in spec/), so they cannot drift apart. Handlers are loaded
// only when their command runs, which keeps `crosstalk --help` fast.
import type { CommandHandler } from './handler.js';
import { ADMIN_COMMANDS } from './spec/admin.js';
import { MODERATION_COMMANDS } from './spec/moderation.js';
import { SESSIONS_COMMANDS } from './spec/sessions.js';
import { SETUP_COMMANDS } from './spec/setup.js';

export interface OptionSpec {
  /** Commander flags, e.g. `--as <session>` or `-f, --follow`. */
  flags: string;
  description: string;
  default?: string | boolean;
}

export interface CommandSpec {
  /** Words after `crosstalk`, e.g. ['relay', 'invite']. */
  path: string[];
  /** Positional arguments in commander syntax, e.g. `<id>` or `[task...]`. */
  args?: string;
  summary: string;
  /** Longer help; shown by `--help`. */
  description?: string;
  options?: OptionSpec[];
  /** Prints data, so it takes `--json`. */
  json?: boolean;
  examples?: string[];
  /** Audience, for grouping the reference. */
  group: 'sessions' | 'moderation' | 'admin' | 'setup';
  load: () => Promise<{ default: CommandHandler }>;
}

export const COMMANDS: CommandSpec[] = [...SESSIONS_COMMANDS, ...MODERATION_COMMANDS, ...SETUP_COMMANDS, ...ADMIN_COMMANDS];

