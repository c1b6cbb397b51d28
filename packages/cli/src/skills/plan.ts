// `crosstalk skill install`: where each product reads its instructions, and the pure plan of what
// to create, update or remove there. Files are handled as bytes (latin1 strings) so that
// everything outside our own text is kept exactly, whatever its encoding.
import { dirname, join } from 'node:path';
import { CrosstalkError } from '@crosstalk/core';
import { crosstalkGuide } from './guide.js';
import { claudeAllowRules, CODEX_RULES_MARK, codexRulesText, editClaudeSettings } from './permissions.js';
import { removeSection, upsertSection } from './section.js';

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

type SkillChange = 'create' | 'update' | 'remove' | 'unchanged';

/** `instructions`: the skill or AGENTS.md section; `permissions`: what the agent may run unattended. */
type SkillPart = 'instructions' | 'permissions';

interface SkillAction {
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

const SKILL_NAME = 'crosstalk';
/** Larger instruction files are not ours to rewrite. */
const MAX_INSTRUCTION_FILE_BYTES = 1024 * 1024;
// Codex stops reading instruction files after project_doc_max_bytes (32 KiB by default).
const CODEX_DEFAULT_MAX_BYTES = 32 * 1024;

const SKILL_DESCRIPTION =
  'Talk to other coding-agent sessions (Claude Code, Codex) on this or other machines through crosstalk: ' +
  'answer when a line starting with "crosstalk:" says it is your turn, open a moderated conversation, ' +
  'agree on a decision, or delegate a task to another session with `crosstalk ask`. Use it when such a line ' +
  'appears, or when the user asks you to consult, coordinate with, ask or hand work to another session or agent.';

/** The Claude Code skill: YAML front matter (name, description) and the guide. */
export function claudeSkillText(): string {
  // A JSON string is a valid YAML double-quoted scalar: colons and quotes in it stay harmless.
  return `---\nname: ${SKILL_NAME}\ndescription: ${JSON.stringify(SKILL_DESCRIPTION)}\n---\n\n${crosstalkGuide(1)}\n`;
}

/** The Codex AGENTS.md section body (without markers). */
export function codexSectionBody(): string {
  return crosstalkGuide(2, 'codex');
}

export interface SkillPaths {
  claude: string;
  /** Claude Code's settings at the skill's scope, where the permission rules go. */
  claudeSettings: string;
  codex: string;
  codexOverride: string;
  /** Codex's execution-policy rules file (read at Codex's start). */
  codexRules: string;
}

export function skillPaths(req: Omit<SkillRequest, 'conversationsDir'>): SkillPaths {
  const claudeRoot = req.scope === 'global' ? (req.claudeConfigDir ?? join(req.homeDir, '.claude')) : join(req.projectDir, '.claude');
  const codexDir = req.scope === 'global' ? (req.codexHome ?? join(req.homeDir, '.codex')) : req.projectDir;
  const codexConfig = req.scope === 'global' ? codexDir : join(req.projectDir, '.codex');
  return {
    claude: join(claudeRoot, 'skills', SKILL_NAME, 'SKILL.md'),
    claudeSettings: join(claudeRoot, 'settings.json'),
    codex: join(codexDir, 'AGENTS.md'),
    codexOverride: join(codexDir, 'AGENTS.override.md'),
    codexRules: join(codexConfig, 'rules', 'crosstalk.rules'),
  };
}

const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const toBuffer = (latin1: string) => Buffer.from(latin1, 'latin1');

function isOurSkill(text: string): boolean {
  return /^---\r?\nname: crosstalk\r?\n/.test(text);
}

function planClaude(req: SkillRequest, path: string, current: string | undefined, warnings: string[]): SkillAction {
  const base = { product: 'claude' as const, part: 'instructions' as const, path };
  if (req.uninstall) {
    if (current === undefined) return { ...base, change: 'unchanged' };
    if (!isOurSkill(current)) {
      warnings.push(`${path} is not the crosstalk skill; left as it is`);
      return { ...base, change: 'unchanged' };
    }
    return { ...base, change: 'remove', removeDirsIfEmpty: dirsUpTo(path, req) };
  }
  const wanted = bytes(claudeSkillText());
  if (current === wanted) return { ...base, change: 'unchanged' };
  if (current !== undefined && !isOurSkill(current)) {
    throw new CrosstalkError('CONFIG_INVALID', `${path} holds another skill named crosstalk`, { hint: 'move it away, then install again' });
  }
  return { ...base, change: current === undefined ? 'create' : 'update', content: toBuffer(wanted) };
}

function planCodex(req: SkillRequest, path: string, current: string | undefined, hasOverride: boolean, warnings: string[]): SkillAction {
  const base = { product: 'codex' as const, part: 'instructions' as const, path };
  if (req.uninstall) {
    const without = current === undefined ? undefined : removeSection(current, path);
    if (without === undefined) return { ...base, change: 'unchanged' };
    return without === '' ? { ...base, change: 'remove' } : { ...base, change: 'update', content: toBuffer(without) };
  }
  const next = upsertSection(current, bytes(codexSectionBody()), path);
  if (hasOverride)
    warnings.push(`Codex reads AGENTS.override.md instead of ${path} in that directory; add the crosstalk section there by hand or remove the override`);
  if (next.length > CODEX_DEFAULT_MAX_BYTES)
    warnings.push(`${path} is larger than 32 KiB; Codex stops reading instructions there by default (raise project_doc_max_bytes)`);
  if (next === current) return { ...base, change: 'unchanged' };
  return { ...base, change: current === undefined ? 'create' : 'update', content: toBuffer(next) };
}

/**
 * The folders above a file that install may have made, deepest first, up to (not including) the
 * user's home or the project: `.claude/skills/crosstalk`, `.codex/rules`, …
 */
function dirsUpTo(path: string, req: SkillRequest): string[] {
  const stops = new Set([req.homeDir, req.projectDir, dirname(req.homeDir)]);
  const dirs: string[] = [];
  for (let d = dirname(path); !stops.has(d) && dirname(d) !== d; d = dirname(d)) dirs.push(d);
  return dirs;
}

/** The allow rules in Claude Code's settings: added, or taken out again, leaving every other setting. */
function planClaudePermissions(req: SkillRequest, path: string, current: string | undefined): SkillAction {
  const base = { product: 'claude' as const, part: 'permissions' as const, path };
  // Settings are JSON: read as UTF-8 (the bytes are latin1 here).
  const text = current === undefined ? undefined : Buffer.from(current, 'latin1').toString('utf8');
  const next = editClaudeSettings(text, claudeAllowRules(req.conversationsDir), path, req.uninstall === true);
  if (next === undefined) return { ...base, change: 'unchanged' };
  if (next === '') return { ...base, change: 'remove', removeDirsIfEmpty: dirsUpTo(path, req) };
  return { ...base, change: current === undefined ? 'create' : 'update', content: Buffer.from(next, 'utf8') };
}

/** The Codex rules file is ours alone: written whole, removed whole, never someone else's. */
function planCodexRules(req: SkillRequest, path: string, current: string | undefined, warnings: string[]): SkillAction {
  const base = { product: 'codex' as const, part: 'permissions' as const, path };
  const ours = current?.startsWith(CODEX_RULES_MARK);
  if (req.uninstall) {
    if (current === undefined) return { ...base, change: 'unchanged' };
    if (!ours) {
      warnings.push(`${path} was not written by crosstalk; left as it is`);
      return { ...base, change: 'unchanged' };
    }
    return { ...base, change: 'remove', removeDirsIfEmpty: dirsUpTo(path, req) };
  }
  const wanted = bytes(codexRulesText());
  if (current === wanted) return { ...base, change: 'unchanged' };
  if (current !== undefined && !ours)
    throw new CrosstalkError('CONFIG_INVALID', `${path} holds rules crosstalk did not write`, { hint: 'move it away, then install again' });
  return { ...base, change: current === undefined ? 'create' : 'update', content: toBuffer(wanted) };
}

/**
 * What an install or uninstall would do, given the current bytes of the files at
 * `skillPaths(req)` (undefined: absent). Pure; `applySkillPlan` carries it out.
 */
export function planSkills(req: SkillRequest, current: ReadonlyMap<string, Uint8Array | undefined>): SkillPlan {
  const paths = skillPaths(req);
  const read = (path: string): string | undefined => {
    const buf = current.get(path);
    if (buf === undefined) return undefined;
    if (buf.byteLength > MAX_INSTRUCTION_FILE_BYTES) {
      throw new CrosstalkError('CONFIG_INVALID', `${path} is larger than ${MAX_INSTRUCTION_FILE_BYTES} bytes`, { hint: 'edit it by hand' });
    }
    return Buffer.from(buf).toString('latin1');
  };
  const warnings: string[] = [];
  const actions: SkillAction[] = [];
  for (const product of [...new Set(req.products)].sort()) {
    if (product === 'claude') {
      actions.push(planClaude(req, paths.claude, read(paths.claude), warnings));
      actions.push(planClaudePermissions(req, paths.claudeSettings, read(paths.claudeSettings)));
    } else {
      actions.push(planCodex(req, paths.codex, read(paths.codex), current.get(paths.codexOverride) !== undefined, warnings));
      actions.push(planCodexRules(req, paths.codexRules, read(paths.codexRules), warnings));
    }
  }
  return { actions, warnings };
}
