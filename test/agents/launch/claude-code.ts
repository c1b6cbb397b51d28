// Prepares the real Claude Code (test/agents/install) to run against the mock model in a tmux pane:
// a private HOME whose .claude.json skips onboarding, approves the API key and trusts the project,
// a settings.json with the chosen permission mode and rules, and the argv + environment to start
// it. Checked against Claude Code 2.1.332: it starts straight at its prompt, with no login, trust,
// API-key or update screen. Its screens are in packages/agent/src/terminals/screens/__fixtures__/claude-code/.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLAUDE_CODE_VERSION = '2.1.332';
const CLAUDE = fileURLToPath(new URL('../install/node_modules/.bin/claude', import.meta.url));
// Any key works with the mock; Claude Code asks about a key unless its last 20 characters are approved.
const API_KEY = 'sk-ant-test-crosstalk-mock-key-0123456789';

/**
 * `manual` (settings `default`): every command that is not read-only asks. `auto`: the default of
 * 2.1.332; its safety check runs on Anthropic's servers, so against the mock most commands stop at
 * "Auto mode can't check actions in this session". `plan`: plan mode. `unset`: no defaultMode.
 * `bypass`: `--dangerously-skip-permissions`.
 */
export type ClaudePermissions = 'manual' | 'auto' | 'plan' | 'unset' | 'bypass';

export interface ClaudeLaunchOptions {
  /** The mock model's URL, e.g. `http://127.0.0.1:41234` (MockModel.url). */
  modelUrl: string;
  /** The project Claude Code works in; it is marked trusted. */
  cwd: string;
  permissions?: ClaudePermissions;
  /**
   * Merged into ~/.claude/settings.json; `permissions` is merged one level deep (e.g. { permissions: { allow } }, hooks).
   * `disableAgentView: true` removes the Left-arrow agents view, whose new sessions run in a detached daemon.
   */
  settings?: Record<string, unknown>;
  /** Folders put first on PATH (e.g. one with a `crosstalk` wrapper). */
  pathDirs?: string[];
  /** More variables for Claude Code and the commands it runs (e.g. CROSSTALK_HOME). */
  env?: Record<string, string>;
  /** More Claude Code arguments. */
  args?: string[];
}

export interface ClaudeLaunch {
  home: string;
  /** For `tmux new-session … -- <argv>`: Claude Code with exactly `env`, plus the pane's TMUX and TMUX_PANE. */
  argv: string[];
  env: Record<string, string>;
  /** Removes the private home (after Claude Code has exited). */
  cleanup: () => Promise<void>;
}

const MODES: Record<ClaudePermissions, string | undefined> = { manual: 'default', auto: 'auto', plan: 'plan', unset: undefined, bypass: undefined };

export async function prepareClaudeCode(o: ClaudeLaunchOptions): Promise<ClaudeLaunch> {
  const home = await mkdtemp(join(tmpdir(), 'claude-code-'));
  await mkdir(join(home, '.claude'), { recursive: true });
  const state = {
    hasCompletedOnboarding: true, // no theme / login screens
    lastOnboardingVersion: CLAUDE_CODE_VERSION, // no "what's new" screen
    hasSeenAutoDefaultNudge: true, // fewer auto-mode notices
    bypassPermissionsModeAccepted: true, // no warning screen for --dangerously-skip-permissions
    customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] }, // no "use this API key?" dialog
    projects: { [o.cwd]: { hasTrustDialogAccepted: true, allowedTools: [] } }, // no trust dialog
  };
  await writeFile(join(home, '.claude.json'), JSON.stringify(state, null, 2));
  const extra = o.settings ?? {};
  const mode = MODES[o.permissions ?? 'manual'];
  const permissions = { ...(extra.permissions as Record<string, unknown> | undefined), ...(mode ? { defaultMode: mode } : {}) };
  const settings = { ...extra, ...(Object.keys(permissions).length ? { permissions } : {}) };
  await writeFile(join(home, '.claude', 'settings.json'), JSON.stringify(settings, null, 2));
  const env: Record<string, string> = {
    ...o.env,
    PATH: [...(o.pathDirs ?? []), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    TERM: 'xterm-256color',
    IS_SANDBOX: '1', // else Claude Code refuses to run as root
    ANTHROPIC_BASE_URL: o.modelUrl.replace(/\/$/, ''),
    ANTHROPIC_API_KEY: API_KEY,
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', // no telemetry, no release notes fetched
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1', // else it tries to fetch the plugin marketplace at start
  };
  // env -i: nothing of the parent session (CLAUDECODE, CLAUDE_CODE_*, CODEX_*, …) reaches Claude Code;
  // TMUX and TMUX_PANE exist only inside the pane, so the shell copies them, for `crosstalk join`.
  const argv = [
    'sh',
    '-c',
    'exec env -i TMUX="$TMUX" TMUX_PANE="$TMUX_PANE" "$@"',
    'sh',
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    CLAUDE,
    ...(o.permissions === 'bypass' ? ['--dangerously-skip-permissions'] : []),
    ...(o.args ?? []),
  ];
  return { home, argv, env, cleanup: () => rm(home, { recursive: true, force: true }) };
}
