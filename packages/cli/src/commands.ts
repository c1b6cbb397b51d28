// Every crosstalk command, declared as data: the program, `--help`, the README reference and
// docs/CLI.md are all built from this table (one file per audience in spec/), so they cannot drift apart. Handlers are loaded
// only when their command runs, which keeps `crosstalk --help` fast.
import type { CommandSpec } from './spec/command.js';
import { ADMIN_COMMANDS } from './spec/admin.js';
import { MODERATION_COMMANDS } from './spec/moderation.js';
import { SESSIONS_COMMANDS } from './spec/sessions.js';
import { SETUP_COMMANDS } from './spec/setup.js';
import { SPAWN_COMMANDS } from './spec/spawn.js';

export type { CommandSpec } from './spec/command.js';

export const COMMANDS: CommandSpec[] = [...SESSIONS_COMMANDS, ...SPAWN_COMMANDS, ...MODERATION_COMMANDS, ...SETUP_COMMANDS, ...ADMIN_COMMANDS];
