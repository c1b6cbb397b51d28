// What `crosstalk skill install` allows the coding agents to run unattended: exactly crosstalk's
// conversation commands, never the commands that start, stop or administer anything (`spawn`,
// `kill`, `join`, `relay …`, `agent …`), and reading the markdown copies. Pure: the Claude Code
// settings are edited as JSON text, the Codex rules file is written whole.
import { CrosstalkError } from '@crosstalk/core';
import { type Json, parseJsonObject, serializeJson } from './json-file.js';

/** The subcommands a coding agent runs when it takes part in a conversation. */
export const CONVERSATION_COMMANDS = ['reply', 'read', 'status', 'wait', 'open', 'ask', 'list', 'sessions', 'whoami', 'moderate', 'close'] as const;

/**
 * Claude Code permission rules (settings.json `permissions.allow`). `Bash(crosstalk reply *)`
 * matches the command with any arguments, a quoted here-document body included, but not a
 * compound command (`; …`, `&& …`, `| sh`, `$(…)`). `Read(//<dir>/**)`: an absolute path needs
 * two slashes (one is relative to the settings file); it also covers `cat` of those files.
 */
export function claudeAllowRules(conversationsDir: string): string[] {
  const dir = conversationsDir.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\/+/, '');
  return [...CONVERSATION_COMMANDS.map((c) => `Bash(crosstalk ${c} *)`), `Read(//${dir}/**)`];
}

export const CODEX_RULES_MARK = '# crosstalk: written by `crosstalk skill install`; removed by `crosstalk skill install --uninstall`.';

/**
 * The Codex execution-policy rules file. An `allow` rule runs a matching command outside Codex's
 * sandbox, without asking, so these commands reach the relay; Codex does not apply rules to a
 * command with a here-document, a redirection or `$`, which then stays in the sandbox (the guide
 * tells Codex to pass the body with `--body` or `--body-file`).
 */
export function codexRulesText(): string {
  const list = CONVERSATION_COMMANDS.map((c) => JSON.stringify(c)).join(', ');
  return `${CODEX_RULES_MARK}
# It lets crosstalk's conversation commands reach the crosstalk relay from Codex's sandbox, and nothing else.
prefix_rule(
    pattern = ["crosstalk", [${list}]],
    decision = "allow",
    justification = "crosstalk conversation commands talk to the crosstalk relay",
    match = ["crosstalk reply talk-1 --as a --expect-turn 3 --body hi", "crosstalk list"],
    not_match = ["crosstalk relay invite", "crosstalk agent run", "crosstalk spawn codex", "crosstalk join --as a"],
)
`;
}

function allowList(settings: Json, path: string): { permissions: Json; allow: unknown[] } | null {
  const permissions = settings.permissions;
  if (permissions === undefined) return null;
  if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) {
    throw new CrosstalkError('CONFIG_INVALID', `${path}: "permissions" is not an object`, { hint: 'fix it, then install again' });
  }
  const allow = (permissions as Json).allow;
  if (allow !== undefined && !Array.isArray(allow))
    throw new CrosstalkError('CONFIG_INVALID', `${path}: "permissions.allow" is not a list`, { hint: 'fix it, then install again' });
  return { permissions: permissions as Json, allow: (allow as unknown[] | undefined) ?? [] };
}

/**
 * Claude Code's settings with `rules` added to (or, with `remove`, taken out of) the allow list;
 * undefined when nothing changes, '' when the file is left empty and can go.
 */
export function editClaudeSettings(current: string | undefined, rules: readonly string[], path: string, remove: boolean): string | undefined {
  if (current === undefined && remove) return undefined;
  const settings = parseJsonObject(current, path);
  const found = allowList(settings, path);
  if (remove) {
    if (!found?.allow.some((r) => rules.includes(r as string))) return undefined;
    const kept = found.allow.filter((r) => !rules.includes(r as string));
    if (kept.length > 0) found.permissions.allow = kept;
    else delete found.permissions.allow;
    if (Object.keys(found.permissions).length === 0) delete settings.permissions;
    return Object.keys(settings).length === 0 ? '' : serializeJson(settings);
  }
  const allow = found?.allow ?? [];
  const missing = rules.filter((r) => !allow.includes(r));
  if (missing.length === 0) return undefined;
  settings.permissions = { ...(found?.permissions ?? {}), allow: [...allow, ...missing] };
  return serializeJson(settings);
}
