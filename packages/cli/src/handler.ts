// What a command handler receives and returns. Handlers never print errors or exit: they return
// data (and optionally text for humans) or throw a CrosstalkError; main.ts does the rest.
import type { Readable, Writable } from 'node:stream';
import type { OptionSpec, OptionsOf } from './options/types.js';

/** Everything a command may know about its surroundings, read once by the entry point. */
export interface CliContext {
  /** `CROSSTALK_HOME`, if set. */
  crosstalkHome: string | undefined;
  /** `CROSSTALK_PUBLIC_URL`, if set: the relay URL other machines use (`relay invite`'s default `--url`). */
  publicUrl: string | undefined;
  userHome: string;
  cwd: string;
  platform: NodeJS.Platform;
  hostname: string;
  username: string;
  /** `$TMUX` (socket path, server pid, session) and `$TMUX_PANE`, when run inside tmux. */
  tmux: { env: string; pane: string } | undefined;
  /** This process's id (the pane's process tree is walked from it by `join`). */
  pid: number;
  /** POSIX user id (launchd needs it); undefined on Windows. */
  uid: number | undefined;
  /** Absolute path of this CLI's entry script and of node, for service files and child processes. */
  binPath: string;
  nodePath: string;
  /** True when a person is at a terminal (not piped, not CI, not a coding agent). */
  interactive: boolean;
  /** `--json` was given: print machine-readable data on stdout. */
  json: boolean;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  /** Aborted on SIGINT/SIGTERM, so long-running commands (wait, tail -f, up) can stop cleanly. */
  signal: AbortSignal;
  /**
   * The few environment values commands use (CROSSTALK_HOME, PATH, XDG_CONFIG_HOME,
   * CLAUDE_CONFIG_DIR, CODEX_HOME, USERDOMAIN, NODE_EXTRA_CA_CERTS), read once by the entry point;
   * also the base environment of child processes. Never read by libraries.
   */
  env: Readonly<Record<string, string | undefined>>;
}

export interface CommandResult {
  /** Printed as JSON on stdout with `--json`. Stable field names: documented in docs/CLI.md. */
  data?: unknown;
  /** Printed on stdout for humans (without `--json`). */
  text?: string;
  /** Exit code when not 0 (e.g. 10 for `wait` when the conversation ended). */
  exitCode?: number;
}

/** A command's code; `options` is typed from the command's option table (see options/types.ts). */
export type CommandHandler<T extends readonly OptionSpec[] = readonly []> = (
  ctx: CliContext,
  args: string[],
  options: OptionsOf<T>,
) => Promise<CommandResult | undefined>;

/** Any command's handler, as the command table holds it; main.ts hands it the checked options. */
export type AnyCommandHandler = (ctx: CliContext, args: string[], options: never) => Promise<CommandResult | undefined>;
