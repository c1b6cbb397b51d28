// How processes are recognised by name: shells, launchers, crosstalk itself, terminal hosts.
// Pure functions over the names the process table reports.

/** One process as the OS reports it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Command name: Linux `comm` (≤ 15 bytes), macOS `ps comm` basename, Windows image name without `.exe`. */
  name: string;
  /** Full command line when it was read (only for the chain `crosstalk join` walks). */
  commandLine?: string;
}

const SHELLS = new Set([
  'bash',
  'zsh',
  'sh',
  'dash',
  'ash',
  'fish',
  'ksh',
  'mksh',
  'oksh',
  'tcsh',
  'csh',
  'nu',
  'pwsh',
  'elvish',
  'xonsh',
  // Windows
  'cmd',
  'powershell',
]);

// Programs that only start another program (`npx crosstalk-cli join`); never the coding agent.
const LAUNCHERS = /^(npm|npx|pnpm|pnpx|yarn|bunx|corepack)(\s|$)/;

// Processes that host terminals on Windows; reaching one means no coding agent sits in between.
const TERMINAL_HOSTS = new Set([
  'windowsterminal',
  'openconsole',
  'conhost',
  'explorer',
  'code',
  'cursor',
  'sshd',
  'services',
  'svchost',
  'wininit',
  'winlogon',
  'userinit',
  'runtimebroker',
  'mintty',
  'wezterm-gui',
  'alacritty',
  'tabby',
  'hyper',
]);

const NODE_LIKE = /^(node|nodejs|bun|deno)$/;

/** Canonical form of a reported name: basename, no login-shell dash, Windows names without `.exe`, lower case. */
export function normalizeName(raw: string, platform: NodeJS.Platform): string {
  let name = raw.trim();
  const slash = Math.max(name.lastIndexOf('/'), platform === 'win32' ? name.lastIndexOf('\\') : -1);
  if (slash >= 0) name = name.slice(slash + 1);
  if (name.startsWith('-')) name = name.slice(1);
  if (platform === 'win32') name = name.toLowerCase().replace(/\.exe$/, '');
  return name;
}

export function isShell(name: string): boolean {
  return SHELLS.has(name);
}

export function isTerminalHost(name: string): boolean {
  return TERMINAL_HOSTS.has(name);
}

/** Linux keeps 15 bytes of a command name; names match if they agree that far. */
export function sameCommand(a: string, b: string): boolean {
  if (a === b) return true;
  return (a.length >= 15 || b.length >= 15) && a.slice(0, 15) === b.slice(0, 15);
}

/** A process that runs crosstalk itself or only launches it, so it is not the coding agent. */
export function isCrosstalkOrLauncher(entry: ProcessEntry): boolean {
  const { name } = entry;
  if (name === 'crosstalk' || LAUNCHERS.test(name)) return true;
  if (!NODE_LIKE.test(name) || entry.commandLine === undefined) return false;
  // Look only at the script node runs and, for npm/npx scripts, the package they start: an agent
  // whose arguments merely mention a crosstalk directory is still the agent.
  const words = entry.commandLine.split(/\s+/).filter((w) => w !== '' && !w.startsWith('-'));
  const script = (words[1] ?? '').replace(/\\/g, '/');
  if (/(^|\/)(@crosstalk\/|crosstalk(-cli)?\/(dist|bin)\/|crosstalk(\.c?m?js)?$|packages\/cli\/(dist\/(bundle\/)?bin|bin\/crosstalk)\.js$)/.test(script))
    return true;
  if (/(^|\/)(npx|npm|pnpm|yarn)(-cli)?(\.c?js)?$/.test(script)) {
    return words.slice(2).some((w) => /^(@crosstalk\/cli|crosstalk(-cli)?)(@.*)?$/.test(w));
  }
  return false;
}
