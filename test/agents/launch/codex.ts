// Prepares the real Codex CLI (test/agents/install) to run against the mock model in a tmux pane:
// a private HOME and CODEX_HOME, a config.toml that names the mock provider and trusts the
// project, and the argv + environment to start it. Every choice below was checked against Codex
// 0.169.1: with it Codex starts straight at its prompt, with no login, trust, model-migration,
// update or warning screen, and leaves no process behind when its pane is killed.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `default`: what a person gets in a trusted project (workspace-write sandbox without network,
 * on-request approvals). `ask`: the same, plus a `prompt` rule for each of `askFor`, so Codex shows
 * its approval dialog before running them (0.169 has no `untrusted` policy any more). `bypass`:
 * `--dangerously-bypass-approvals-and-sandbox`.
 */
export type CodexPermissions = 'default' | 'ask' | 'bypass';

export interface CodexLaunchOptions {
  /** The mock model's URL, e.g. `http://127.0.0.1:41234` (MockModel.url). */
  modelUrl: string;
  /** The project Codex works in; it is marked trusted. */
  cwd: string;
  permissions?: CodexPermissions;
  /** With `ask`: the command prefixes Codex asks about. */
  askFor?: string[][];
  /** Text of an extra `.rules` file. */
  rules?: string;
  /** Folders put first on the PATH of Codex's shell commands (e.g. one with a `crosstalk` wrapper). */
  pathDirs?: string[];
  /** More variables for Codex and the commands it runs (e.g. CROSSTALK_HOME). */
  env?: Record<string, string>;
  /** More Codex arguments. */
  args?: string[];
}

export interface CodexLaunch {
  home: string;
  codexHome: string;
  /** For `tmux new-session … -- <argv>`: Codex with exactly `env`, plus the pane's TMUX and TMUX_PANE. */
  argv: string[];
  env: Record<string, string>;
  /** Removes the private homes (after Codex has exited). */
  cleanup: () => Promise<void>;
}

const INSTALL = fileURLToPath(new URL('../install/node_modules/', import.meta.url));
const CODEX = join(INSTALL, '.bin', 'codex');
// Codex warns (⚠ in the footer) when bubblewrap is not on PATH; its npm package bundles one.
const BWRAP_DIR = join(INSTALL, '@openai', 'codex-linux-x64', 'vendor', 'x86_64-unknown-linux-musl', 'codex-resources');
const KEY_VAR = 'MOCK_API_KEY';
export const DEFAULT_ASK_FOR = [['touch'], ['echo'], ['cat'], ['ls'], ['mkdir'], ['rm'], ['sleep'], ['crosstalk']];

const q = (s: string): string => JSON.stringify(s); // a TOML basic string

function configToml(o: CodexLaunchOptions): string {
  return [
    'model = "mock-model"',
    'model_provider = "mock"',
    `model_catalog_json = ${q('CATALOG')}`,
    'check_for_update_on_startup = false', // no update banner, no request to GitHub
    '',
    '[analytics]\nenabled = false\n\n[feedback]\nenabled = false\n', // nothing sent anywhere
    '[tui]',
    'screen_reader_detection_done = true', // Codex writes this on first start anyway
    'show_tooltips = false', // no random tip lines on screen
    '',
    '[model_providers.mock]',
    'name = "mock"',
    `base_url = ${q(`${o.modelUrl.replace(/\/$/, '')}/v1`)}`,
    'wire_api = "responses"',
    `env_key = "${KEY_VAR}"`, // an API key from the environment: no login screen
    '',
    `[projects.${q(o.cwd)}]`,
    'trust_level = "trusted"', // no trust prompt; the default permissions apply
    '',
  ].join('\n');
}

// Without a catalog entry Codex warns "Model metadata for `mock-model` not found" after the first turn.
// These are the fields 0.169.1 requires; shell_type "default" gives the exec_command tool.
const CATALOG = {
  models: [
    {
      slug: 'mock-model',
      display_name: 'mock-model',
      base_instructions: 'You are a coding agent. Run the command the user names.',
      supported_reasoning_levels: [],
      shell_type: 'default',
      visibility: 'list',
      supported_in_api: true,
      priority: 1,
      support_verbosity: false,
      truncation_policy: { mode: 'bytes', limit: 10000 },
      experimental_supported_tools: [],
    },
  ],
};

export async function prepareCodex(o: CodexLaunchOptions): Promise<CodexLaunch> {
  const root = await mkdtemp(join(tmpdir(), 'codex-'));
  const home = join(root, 'home');
  const codexHome = join(root, 'codex');
  await mkdir(join(codexHome, 'rules'), { recursive: true });
  await mkdir(home, { recursive: true });
  const catalog = join(codexHome, 'mock-catalog.json');
  await writeFile(catalog, JSON.stringify(CATALOG));
  await writeFile(join(codexHome, 'config.toml'), configToml(o).replace(q('CATALOG'), q(catalog)));
  const permissions = o.permissions ?? 'default';
  if (permissions === 'ask') {
    const rules = (o.askFor ?? DEFAULT_ASK_FOR).map((p) => `prefix_rule(pattern = ${JSON.stringify(p)}, decision = "prompt")\n`);
    await writeFile(join(codexHome, 'rules', 'ask.rules'), rules.join(''));
  }
  if (o.rules) await writeFile(join(codexHome, 'rules', 'extra.rules'), o.rules);
  // Codex runs commands in a login shell (bash -lc): /etc/profile resets PATH, ~/.profile extends it.
  if (o.pathDirs?.length) await writeFile(join(home, '.profile'), `export PATH=${o.pathDirs.map(q).join(':')}:"$PATH"\n`);
  const path = [...(o.pathDirs ?? []), ...(existsSync(BWRAP_DIR) ? [BWRAP_DIR] : []), '/usr/local/bin', '/usr/bin', '/bin'];
  const env: Record<string, string> = {
    ...o.env,
    PATH: path.join(':'),
    HOME: home,
    CODEX_HOME: codexHome,
    TERM: 'xterm-256color',
    [KEY_VAR]: 'mock-key',
  };
  const args = [
    '--no-daemon', // else a background app-server starts that outlives the TUI
    ...(permissions === 'bypass' ? ['--dangerously-bypass-approvals-and-sandbox'] : []),
    ...(o.args ?? []),
  ];
  // env -i: nothing of the parent session (CLAUDECODE, CODEX_*, …) reaches Codex; TMUX and TMUX_PANE
  // exist only inside the pane, so the shell copies them, for `crosstalk join` run by Codex.
  const argv = ['sh', '-c', 'exec env -i TMUX="$TMUX" TMUX_PANE="$TMUX_PANE" "$@"', 'sh', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), CODEX, ...args];
  return { home, codexHome, argv, env, cleanup: () => rm(root, { recursive: true, force: true }) };
}
