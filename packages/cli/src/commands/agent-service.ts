// `crosstalk agent install` / `uninstall`: run the agent at every login with the system's own
// service manager (systemd user unit, launchd agent, Scheduled Task), or remove exactly that.
import { execaServiceRunner, installService, readAgentConfig, uninstallService } from '@crosstalk/agent';
import type { CommandHandler } from '../handler.js';
import { layoutOf } from '../lib/home.js';
import { serviceContext } from '../lib/service.js';
import { say } from '../output.js';

export const install: CommandHandler = async (ctx) => {
  const layout = layoutOf(ctx);
  // Installing a service that cannot start helps nobody: the home must be enrolled first.
  const config = await readAgentConfig(layout.config);
  const result = await installService(serviceContext(ctx, layout), execaServiceRunner());
  for (const w of result.warnings) say(ctx, `warning: ${w}`);
  const data = { installed: true, platform: ctx.platform, definition: result.definition, changed: result.changed, warnings: result.warnings };
  const text = `${result.changed ? 'installed' : 'already installed'}: ${result.definition}\nthe agent for host ${config.host} runs now and at every login; check it with \`crosstalk agent status\``;
  return { data, text };
};

export const uninstall: CommandHandler = async (ctx) => {
  const result = await uninstallService(serviceContext(ctx, layoutOf(ctx)), execaServiceRunner());
  for (const w of result.warnings) say(ctx, `warning: ${w}`);
  const data = { removed: result.removed, platform: ctx.platform, definition: result.definition, warnings: result.warnings };
  return {
    data,
    text: result.removed ? `removed ${result.definition}; the agent no longer starts at login` : 'no crosstalk agent service was installed; nothing to do',
  };
};

export default install;
