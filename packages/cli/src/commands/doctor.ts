// `crosstalk doctor`: check everything a conversation depends on, explain what to fix; exit 1 if
// any check fails.
import { execa } from 'execa';
import { CrosstalkError, EXIT } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { runChecks } from '../lib/doctor.js';
import { skillChecks } from '../lib/doctor-skills.js';
import { layoutOf } from '../lib/home.js';
import { findOnPath } from '../lib/on-path.js';
import { isSystemError } from '../lib/system-error.js';
import { conversationsDir, projectRoot } from '../lib/skill-scope.js';

async function tmuxVersion(): Promise<string | null> {
  const r = await execa('tmux', ['-V'], { timeout: 5_000, reject: false, stdin: 'ignore' });
  return r.exitCode === 0 && typeof r.stdout === 'string' && r.stdout.trim() !== '' ? r.stdout.trim() : null;
}

const handler: CommandHandler = async (ctx) => {
  const layout = layoutOf(ctx);
  const skills = {
    homeDir: ctx.userHome,
    projectDir: projectRoot(ctx.cwd),
    claudeConfigDir: ctx.env.CLAUDE_CONFIG_DIR || undefined,
    codexHome: ctx.env.CODEX_HOME || undefined,
    // A config that cannot be read is the enrollment check's to report.
    conversationsDir: await conversationsDir(ctx).catch((err: unknown) =>
      err instanceof CrosstalkError || isSystemError(err) ? layout.conversationsDir : Promise.reject(err),
    ),
  };
  const checks = await runChecks({
    layout,
    platform: ctx.platform,
    tmuxVersion,
    crosstalkOnPath: () => findOnPath('crosstalk', ctx.env.PATH, ctx.platform),
    skills: (kinds) => skillChecks(skills, kinds),
  });
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.flatMap((c) => [
    `${c.status.padEnd(4)}  ${c.name.padEnd(width)}  ${c.message}`,
    ...(c.hint ? [`      ${' '.repeat(width)}  hint: ${c.hint}`] : []),
  ]);
  lines.push(
    '',
    failed > 0
      ? `${failed} check${failed === 1 ? '' : 's'} failed.`
      : warned > 0
        ? `no check failed; ${warned} warning${warned === 1 ? '' : 's'} to look at.`
        : 'all checks passed.',
  );
  return { data: { ok: failed === 0, checks }, text: lines.join('\n'), exitCode: failed > 0 ? EXIT.error : EXIT.ok };
};
export default handler;
