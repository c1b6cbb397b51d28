// `crosstalk skill install`: teach Claude Code (a skill) and Codex (an AGENTS.md section) how to
// use crosstalk, let its conversation commands run, and add the hooks that tell this host's agent
// what each session is doing; `--uninstall` removes exactly that.
import { CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { conversationsDir, projectRoot } from '../lib/skill-scope.js';
import { installSkills, type SkillProduct } from '../skills/index.js';
import { say } from '../output.js';
import type { SKILL_OPTIONS } from '../spec/setup.js';

const handler: CommandHandler<typeof SKILL_OPTIONS> = async (ctx, _args, options) => {
  if (options.global && options.project) throw new CrosstalkError('INVALID_REQUEST', 'pass either --global or --project, not both');
  const products: SkillProduct[] = [];
  if (options.claude) products.push('claude');
  if (options.codex) products.push('codex');
  if (products.length === 0) products.push('claude', 'codex');
  const plan = await installSkills({
    products,
    scope: options.project ? 'project' : 'global',
    uninstall: options.uninstall,
    homeDir: ctx.userHome,
    projectDir: projectRoot(ctx.cwd),
    claudeConfigDir: ctx.env.CLAUDE_CONFIG_DIR || undefined,
    codexHome: ctx.env.CODEX_HOME || undefined,
    conversationsDir: await conversationsDir(ctx),
  });
  for (const w of plan.warnings) say(ctx, `warning: ${w}`);
  const actions = plan.actions.map((a) => ({ product: a.product, part: a.part, path: a.path, change: a.change }));
  const label = { claude: 'Claude Code', codex: 'Codex' } as const;
  const text = actions.map((a) => `${a.change.padEnd(9)} ${label[a.product].padEnd(11)} ${a.part.padEnd(12)} ${a.path}`).join('\n');
  return { data: { actions, warnings: plan.warnings }, text };
};
export default handler;
