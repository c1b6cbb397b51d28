// Reads the process's surroundings once into a CliContext; nothing else looks at process.env.
import { homedir, hostname, userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CliContext } from './handler.js';
import { isSystemError } from './lib/system-error.js';

// Coding agents run commands without a person at a terminal; they get plain, prompt-free output.
const AGENT_ENV = ['CLAUDECODE', 'CLAUDE_CODE_ENTRYPOINT', 'CODEX_SANDBOX', 'CODEX_SANDBOX_NETWORK_DISABLED', 'CODEX_THREAD_ID', 'CROSSTALK_AGENT'];

// What commands may look at; child processes (the demo's sessions, services) get these too.
const PASSED_ENV = [
  'CROSSTALK_HOME',
  'PATH',
  'HOME',
  'LANG',
  'XDG_CONFIG_HOME',
  'CLAUDE_CONFIG_DIR',
  'CODEX_HOME',
  'USERDOMAIN',
  'SYSTEMROOT',
  'NODE_EXTRA_CA_CERTS',
];

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch (err) {
    // A user without an entry in the system's user database (some containers) has no name.
    if (isSystemError(err)) return 'user';
    throw err;
  }
}

export function createContext(proc: NodeJS.Process, signal: AbortSignal): Omit<CliContext, 'json'> {
  const env = proc.env;
  const byAgent = AGENT_ENV.some((k) => env[k] !== undefined && env[k] !== '');
  const tmuxEnv = env.TMUX;
  const tmuxPane = env.TMUX_PANE;
  return {
    crosstalkHome: env.CROSSTALK_HOME,
    publicUrl: env.CROSSTALK_PUBLIC_URL?.trim() || undefined,
    userHome: homedir(),
    cwd: proc.cwd(),
    platform: proc.platform,
    hostname: hostname(),
    username: safeUsername(),
    tmux: tmuxEnv && tmuxPane ? { env: tmuxEnv, pane: tmuxPane } : undefined,
    pid: proc.pid,
    uid: typeof proc.getuid === 'function' ? proc.getuid() : undefined,
    binPath: fileURLToPath(new URL('./bin.js', import.meta.url)),
    nodePath: proc.execPath,
    interactive: Boolean(proc.stdout.isTTY) && !env.NO_COLOR && !env.CI && !byAgent,
    // Only a command that reads stdin has node open it (a stream over a pipe, a file or a terminal:
    // a few ms): the fast entry keeps this getter, where a spread of the context would call it.
    get stdin() {
      return proc.stdin;
    },
    stdout: proc.stdout,
    stderr: proc.stderr,
    signal,
    env: Object.fromEntries(PASSED_ENV.map((k) => [k, env[k]])),
  };
}
