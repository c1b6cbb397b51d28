// Doctor's look at what `crosstalk skill install` put in place for each coding agent: the
// instructions (skill, AGENTS.md section) and the permissions (Claude Code allow rules, Codex
// rules) that let the conversation commands run unattended, and the hooks that tell the host agent
// what each session is doing (for Codex, also trusted), at user or project scope.
import { codexTrustGaps, planSkills, readSkillFiles, type SkillProduct, type SkillRequest } from '../skills/index.js';
import { CrosstalkError } from '@crosstalk/core';
import type { Check } from './doctor-check.js';
import { isSystemError } from './system-error.js';

const LABEL: Record<SkillProduct, string> = { claude: 'Claude Code', codex: 'Codex' };
const KIND: Record<SkillProduct, string> = { claude: 'claude-code', codex: 'codex' };
const SKILL_PARTS = ['instructions', 'permissions'];

type HooksState = 'installed' | 'missing' | 'outdated' | 'untrusted';

interface ScopeState {
  /** The skill's parts an install would still add or change. */
  skill: string[];
  hooks: HooksState;
}

/** What is in place for each product at one scope. */
async function look(req: SkillRequest): Promise<Map<SkillProduct, ScopeState>> {
  const files = await readSkillFiles(req);
  const install = planSkills(req, files).actions;
  const uninstall = planSkills({ ...req, uninstall: true }, files).actions;
  const out = new Map<SkillProduct, ScopeState>();
  for (const product of req.products) {
    const changes = (actions: typeof install) => actions.filter((a) => a.product === product && a.change !== 'unchanged').map((a) => a.part as string);
    const toInstall = changes(install);
    // Ours are there when an uninstall would take something out of the hooks file.
    const present = changes(uninstall).includes('hooks');
    let hooks: HooksState = 'installed';
    if (toInstall.includes('hooks')) hooks = present ? 'outdated' : 'missing';
    else if (toInstall.includes('hook-trust') || (product === 'codex' && codexTrustGaps(req, files) > 0)) hooks = 'untrusted';
    out.set(product, { skill: toInstall.filter((p) => SKILL_PARTS.includes(p)), hooks });
  }
  return out;
}

function skillCheck(product: SkillProduct, atGlobal: string[], atProject: string[], joinedHere: boolean): Check {
  const name = `skill ${LABEL[product]}`;
  if (atGlobal.length === 0 || atProject.length === 0) {
    return { name, status: 'ok', message: `instructions and permission rules installed (${atGlobal.length === 0 ? 'for this user' : 'for this project'})` };
  }
  if (atGlobal.length < SKILL_PARTS.length || atProject.length < SKILL_PARTS.length) {
    const what = atGlobal.length < SKILL_PARTS.length ? atGlobal : atProject;
    return {
      name,
      status: 'warn',
      message: `installed, but without its ${what.join(' and ')}: ${LABEL[product]} will stop at a prompt, or its sandbox will block the relay`,
      hint: '`crosstalk skill install` (again) adds what is missing',
    };
  }
  if (joinedHere) {
    return {
      name,
      status: 'warn',
      message: `not installed, but a ${KIND[product]} session joined here: it does not know how to answer, and stops at a permission prompt`,
      hint: '`crosstalk skill install`',
    };
  }
  return { name, status: 'skip', message: `not installed (\`crosstalk skill install\` teaches ${LABEL[product]})` };
}

const HOOK_TROUBLE: Record<Exclude<HooksState, 'installed'>, (label: string) => string> = {
  missing: (label) => `not installed: crosstalk cannot tell whether a ${label} session is busy, and can only type its turns into the pane`,
  outdated: () => 'installed, but not the ones this version of crosstalk writes',
  untrusted: () => 'installed, but not trusted with their current definition: Codex skips them and says "Hooks need review"',
};

function hooksCheck(product: SkillProduct, global: ScopeState, project: ScopeState, joinedHere: boolean): Check {
  const name = `hooks ${LABEL[product]}`;
  const what = product === 'codex' ? 'installed and trusted' : 'installed';
  if (global.hooks === 'installed') return { name, status: 'ok', message: `${what} (for this user)` };
  if (project.hooks === 'installed') return { name, status: 'ok', message: `${what} (for this project)` };
  // The scope where some of ours are, else the one the skill is at.
  const seen = [global, project].find((s) => s.hooks !== 'missing') ?? global;
  const skillHere = global.skill.length < SKILL_PARTS.length || project.skill.length < SKILL_PARTS.length;
  if (seen.hooks === 'missing' && !skillHere && !joinedHere) return { name, status: 'skip', message: 'not installed' };
  return { name, status: 'warn', message: HOOK_TROUBLE[seen.hooks as Exclude<HooksState, 'installed'>](LABEL[product]), hint: '`crosstalk skill install`' };
}

export async function skillChecks(base: Omit<SkillRequest, 'products' | 'scope' | 'uninstall'>, kindsHere: ReadonlySet<string>): Promise<Check[]> {
  const products: SkillProduct[] = ['claude', 'codex'];
  let global: Map<SkillProduct, ScopeState>;
  let project: Map<SkillProduct, ScopeState>;
  try {
    global = await look({ ...base, products, scope: 'global' });
    project = await look({ ...base, products, scope: 'project' });
  } catch (err) {
    // Only a settings file that cannot be read or parsed is worth a warning; anything else is a bug.
    if (!(err instanceof CrosstalkError) && !isSystemError(err)) throw err;
    return [{ name: 'skills', status: 'warn', message: String((err as Error).message), hint: 'fix the file it names, then run `crosstalk skill install`' }];
  }
  return products.flatMap((product) => {
    const [g, p] = [global.get(product) as ScopeState, project.get(product) as ScopeState];
    const joinedHere = kindsHere.has(KIND[product]);
    return [skillCheck(product, g.skill, p.skill, joinedHere), hooksCheck(product, g, p, joinedHere)];
  });
}
