// What `crosstalk skill install` is asked to do, where each product reads what it writes, and the
// shape of the plan's actions: shared by the plan of the instructions and permissions (plan.ts)
// and that of the hooks (hooks-plan.ts).
import { dirname, join } from 'node:path';

export type SkillProduct = 'claude' | 'codex';
type SkillScope = 'global' | 'project';

export interface SkillRequest {
  /** Which products to teach; the CLI passes both when neither --claude nor --codex is given. */
  products: SkillProduct[];
  scope: SkillScope;
  uninstall?: boolean;
  /** The user's home directory. */
  homeDir: string;
  /** The project root for --project (the current directory or its git root). */
  projectDir: string;
  /** CLAUDE_CONFIG_DIR when set; default ~/.claude. */
  claudeConfigDir?: string | undefined;
  /** CODEX_HOME when set; default ~/.codex. */
  codexHome?: string | undefined;
  /** This host's copies, which the agents may read unasked (the wake-up line names them). */
  conversationsDir: string;
}

export type SkillChange = 'create' | 'update' | 'remove' | 'unchanged';

/**
 * `instructions`: the skill or AGENTS.md section; `permissions`: what the agent may run unattended;
 * `hooks`: the handlers that tell the host agent what a session is doing; `hook-trust`: Codex's
 * record that those handlers were reviewed.
 */
export type SkillPart = 'instructions' | 'permissions' | 'hooks' | 'hook-trust';

export interface SkillAction {
  product: SkillProduct;
  part: SkillPart;
  path: string;
  change: SkillChange;
  /** The new bytes, for create and update. */
  content?: Uint8Array;
  /** For remove: these directories go too, deepest first, each when nothing else is left in it. */
  removeDirsIfEmpty?: string[];
}

export interface SkillPlan {
  actions: SkillAction[];
  warnings: string[];
}

/** The files a plan reads: their bytes (undefined: absent), and where links lead (Codex keys trust by the real path). */
export interface SkillFiles {
  bytes: ReadonlyMap<string, Uint8Array | undefined>;
  realPaths: ReadonlyMap<string, string>;
}

export const SKILL_NAME = 'crosstalk';

export interface SkillPaths {
  claude: string;
  /** Claude Code's settings at the skill's scope, where the permission rules and the hooks go. */
  claudeSettings: string;
  codex: string;
  codexOverride: string;
  /** Codex's execution-policy rules file (read at Codex's start). */
  codexRules: string;
  /** Codex's hooks file at the skill's scope. */
  codexHooks: string;
  /** The user's own Codex config, where Codex records which hooks were trusted, whatever the scope. */
  codexUserConfig: string;
}

const codexUserHome = (req: Pick<SkillRequest, 'homeDir' | 'codexHome'>) => req.codexHome ?? join(req.homeDir, '.codex');

export function skillPaths(req: Omit<SkillRequest, 'conversationsDir'>): SkillPaths {
  const claudeRoot = req.scope === 'global' ? (req.claudeConfigDir ?? join(req.homeDir, '.claude')) : join(req.projectDir, '.claude');
  const codexDir = req.scope === 'global' ? codexUserHome(req) : req.projectDir;
  const codexConfig = req.scope === 'global' ? codexDir : join(req.projectDir, '.codex');
  return {
    claude: join(claudeRoot, 'skills', SKILL_NAME, 'SKILL.md'),
    claudeSettings: join(claudeRoot, 'settings.json'),
    codex: join(codexDir, 'AGENTS.md'),
    codexOverride: join(codexDir, 'AGENTS.override.md'),
    codexRules: join(codexConfig, 'rules', 'crosstalk.rules'),
    codexHooks: join(codexConfig, 'hooks.json'),
    codexUserConfig: join(codexUserHome(req), 'config.toml'),
  };
}

/**
 * The folders above a file that install may have made, deepest first, up to (not including) the
 * user's home, the project, or CLAUDE_CONFIG_DIR or CODEX_HOME when set (a folder the user named
 * stays): `.claude/skills/crosstalk`, `.codex/rules`, …
 */
export function dirsUpTo(path: string, req: SkillRequest): string[] {
  const stops = new Set([req.homeDir, req.projectDir, dirname(req.homeDir)]);
  for (const root of [req.claudeConfigDir, req.codexHome]) if (root) stops.add(root);
  const dirs: string[] = [];
  for (let d = dirname(path); !stops.has(d) && dirname(d) !== d; d = dirname(d)) dirs.push(d);
  return dirs;
}

/** What happens to a file: nothing, removed (`after` is ''), else created or updated with `after`. */
export function fileAction(
  base: Pick<SkillAction, 'product' | 'part' | 'path'>,
  existed: boolean,
  changed: boolean,
  after: Uint8Array | '',
  req: SkillRequest,
): SkillAction {
  if (!changed) return { ...base, change: 'unchanged' };
  if (after === '') return { ...base, change: 'remove', removeDirsIfEmpty: dirsUpTo(base.path, req) };
  return { ...base, change: existed ? 'update' : 'create', content: after };
}
