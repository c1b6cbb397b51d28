// Doctor's look at what `crosstalk skill install` put in place for each coding agent: the
// instructions (skill, AGENTS.md section) and the permissions (Claude Code allow rules, Codex
// rules) that let the conversation commands run unattended, at user or project scope.
import { planSkills, readSkillFiles, type SkillProduct, type SkillRequest } from '../skills/index.js';
import { CrosstalkError } from '@crosstalk/core';
import type { Check } from './doctor-check.js';
import { isSystemError } from './system-error.js';

const LABEL: Record<SkillProduct, string> = { claude: 'Claude Code', codex: 'Codex' };
const KIND: Record<SkillProduct, string> = { claude: 'claude-code', codex: 'codex' };

/** What an install would still change, per product and part, at one scope (empty: all in place). */
async function missing(req: SkillRequest): Promise<Map<SkillProduct, string[]>> {
  const plan = planSkills(req, await readSkillFiles(req));
  const out = new Map<SkillProduct, string[]>();
  for (const a of plan.actions) if (a.change !== 'unchanged') out.set(a.product, [...(out.get(a.product) ?? []), a.part]);
  return out;
}

export async function skillChecks(base: Omit<SkillRequest, 'products' | 'scope' | 'uninstall'>, kindsHere: ReadonlySet<string>): Promise<Check[]> {
  const products: SkillProduct[] = ['claude', 'codex'];
  const checks: Check[] = [];
  let global: Map<SkillProduct, string[]>;
  let project: Map<SkillProduct, string[]>;
  try {
    global = await missing({ ...base, products, scope: 'global' });
    project = await missing({ ...base, products, scope: 'project' });
  } catch (err) {
    // Only a settings file that cannot be read or parsed is worth a warning; anything else is a bug.
    if (!(err instanceof CrosstalkError) && !isSystemError(err)) throw err;
    return [{ name: 'skills', status: 'warn', message: String((err as Error).message), hint: 'fix the file it names, then run `crosstalk skill install`' }];
  }
  for (const product of products) {
    const name = `skill ${LABEL[product]}`;
    const atGlobal = global.get(product) ?? [];
    const atProject = project.get(product) ?? [];
    if (atGlobal.length === 0 || atProject.length === 0) {
      checks.push({
        name,
        status: 'ok',
        message: `instructions and permission rules installed (${atGlobal.length === 0 ? 'for this user' : 'for this project'})`,
      });
    } else if (atGlobal.length < 2 || atProject.length < 2) {
      const what = atGlobal.length < 2 ? atGlobal : atProject;
      checks.push({
        name,
        status: 'warn',
        message: `installed, but without its ${what.join(' and ')}: ${LABEL[product]} will stop at a prompt, or its sandbox will block the relay`,
        hint: '`crosstalk skill install` (again) adds what is missing',
      });
    } else if (kindsHere.has(KIND[product])) {
      checks.push({
        name,
        status: 'warn',
        message: `not installed, but a ${KIND[product]} session joined here: it does not know how to answer, and stops at a permission prompt`,
        hint: '`crosstalk skill install`',
      });
    } else {
      checks.push({ name, status: 'skip', message: `not installed (\`crosstalk skill install\` teaches ${LABEL[product]})` });
    }
  }
  return checks;
}
