// `crosstalk skill install`: the pure plan of what to create, update or remove where each product
// reads its instructions and permissions (request.ts says where; hooks-plan.ts plans the hooks).
// Files are handled as bytes (latin1 strings) so that everything outside our own text is kept
// exactly, whatever its encoding.
import { CrosstalkError } from '@crosstalk/core';
import { crosstalkGuide } from './guide.js';
import { planClaudeSettings, planCodexHooks } from './hooks-plan.js';
import { CODEX_RULES_MARK, codexRulesText } from './permissions.js';
import { dirsUpTo, SKILL_NAME, type SkillAction, type SkillFiles, type SkillPlan, type SkillRequest, skillPaths } from './request.js';
import { removeSection, upsertSection } from './section.js';

export type { SkillPlan, SkillProduct, SkillRequest } from './request.js';
export { skillPaths } from './request.js';

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
 * `skillPaths(req)`. Pure; `applySkillPlan` carries it out.
 */
export function planSkills(req: SkillRequest, files: SkillFiles): SkillPlan {
  const paths = skillPaths(req);
  const read = (path: string): string | undefined => {
    const buf = files.bytes.get(path);
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
      actions.push(...planClaudeSettings(req, paths.claudeSettings, read(paths.claudeSettings)));
    } else {
      actions.push(planCodex(req, paths.codex, read(paths.codex), files.bytes.get(paths.codexOverride) !== undefined, warnings));
      actions.push(planCodexRules(req, paths.codexRules, read(paths.codexRules), warnings));
      const keyPath = files.realPaths.get(paths.codexHooks) ?? paths.codexHooks;
      actions.push(...planCodexHooks(req, { hooks: paths.codexHooks, config: paths.codexUserConfig, keyPath }, read));
    }
  }
  return { actions, warnings };
}
