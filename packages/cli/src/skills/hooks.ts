// The hooks `crosstalk skill install` adds so that the host agent knows what each coding-agent
// session is doing (idle, working, waiting for a person, gone) and can hand it a pending turn when
// it stops: which events run `crosstalk hook <kind>`, and the pure edits that add these handlers
// beside the user's own hooks (Claude Code's settings.json, Codex's hooks.json, both of the same
// shape) and take exactly them out again. Ours are the handlers whose command starts with
// `crosstalk hook `; nothing else is ever changed.
import { CrosstalkError } from '@crosstalk/core';
import { isObject, type Json, parseJsonObject, serializeJson } from './json-file.js';

export type HookProduct = 'claude' | 'codex';

export interface HookHandler {
  type: 'command';
  command: string;
  /** Seconds. */
  timeout: number;
  /** Claude Code: runs in the background; when it exits 2 an idle session wakes with its stderr as a prompt. */
  asyncRewake?: true;
}

export const HOOK_COMMAND_PREFIX = 'crosstalk hook ';

const CLAUDE_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'Notification',
  'Stop',
  'StopFailure',
  'SessionEnd',
] as const;
/** Where a session goes idle: a waiter there hands it the next turn without typing into its pane. */
const CLAUDE_WAITER_EVENTS: readonly string[] = ['SessionStart', 'Stop'];
/** A day: the waiter lives as long as the session stays idle; Claude Code ends it with the session. */
const WAITER_TIMEOUT = 86_400;
const CODEX_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PermissionRequest', 'Stop', 'Interrupt', 'SessionEnd'] as const;
/** Codex gives these two events at most 3 seconds, whatever the file says: the file says so too. */
const CODEX_SHORT_EVENTS: readonly string[] = ['Interrupt', 'SessionEnd'];
const TIMEOUT = 10;

/** Our handlers per event, in the order they are written. */
export function wantedHooks(product: HookProduct): Array<[event: string, handlers: HookHandler[]]> {
  if (product === 'claude') {
    const command = 'crosstalk hook claude-code';
    return CLAUDE_EVENTS.map((event) => [
      event,
      [
        { type: 'command', command, timeout: TIMEOUT },
        ...(CLAUDE_WAITER_EVENTS.includes(event)
          ? [{ type: 'command' as const, command: `${command} --wait`, asyncRewake: true as const, timeout: WAITER_TIMEOUT }]
          : []),
      ],
    ]);
  }
  return CODEX_EVENTS.map((event) => [
    event,
    [{ type: 'command', command: 'crosstalk hook codex', timeout: CODEX_SHORT_EVENTS.includes(event) ? 3 : TIMEOUT }],
  ]);
}

export function isOurHandler(handler: unknown): boolean {
  return isObject(handler) && typeof handler.command === 'string' && handler.command.startsWith(HOOK_COMMAND_PREFIX);
}

/** Key order does not matter to either product, so it does not matter here either. */
function sameHandler(a: unknown, b: HookHandler): boolean {
  if (!isObject(a)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === (b as unknown as Json)[k]);
}

function hooksTable(settings: Json, path: string): Json | undefined {
  const hooks = settings.hooks;
  if (hooks === undefined) return undefined;
  if (!isObject(hooks))
    throw new CrosstalkError('CONFIG_INVALID', `${path}: "hooks" is not an object`, { hint: 'fix it, then run `crosstalk skill install` again' });
  return hooks;
}

const holdsOurs = (group: unknown): group is Json & { hooks: unknown[] } => isObject(group) && Array.isArray(group.hooks) && group.hooks.some(isOurHandler);

/** The user's groups of one event without our handlers; a group left with none goes too. */
function withoutOurs(groups: unknown[]): unknown[] {
  return groups.flatMap((group) => {
    if (!holdsOurs(group)) return [group];
    const handlers = group.hooks.filter((h) => !isOurHandler(h));
    return handlers.length === 0 ? [] : [{ ...group, hooks: handlers }];
  });
}

/** Takes ours out of every event but `keep` (those are added to as they are). */
function removeOurs(hooks: Json, keep: readonly string[] = []): void {
  for (const [event, groups] of Object.entries(hooks)) {
    if (keep.includes(event) || !Array.isArray(groups) || !groups.some(holdsOurs)) continue;
    const kept = withoutOurs(groups);
    if (kept.length === 0) delete hooks[event];
    else hooks[event] = kept;
  }
}

/**
 * One event's groups with exactly `wanted` of ours: those in place stay where they are (once), any
 * other of ours goes, and the missing ones join the first group that held ours (else a new group
 * at the end), so that no group of the user's moves.
 */
function addOurs(groups: unknown[], wanted: HookHandler[], product: HookProduct): unknown[] {
  const seen = new Set<HookHandler>();
  const keep = (h: unknown) => {
    const match = wanted.find((w) => !seen.has(w) && sameHandler(h, w));
    if (match) seen.add(match);
    return match !== undefined;
  };
  const home = groups.findIndex(holdsOurs);
  const kept: unknown[] = groups.map((group) => (holdsOurs(group) ? { ...group, hooks: group.hooks.filter((h) => !isOurHandler(h) || keep(h)) } : group));
  const missing = wanted.filter((w) => !seen.has(w));
  if (home < 0) {
    // Claude Code's documented shape names the matcher ("" matches every tool); Codex needs none.
    return missing.length === 0 ? kept : [...kept, product === 'claude' ? { matcher: '', hooks: missing } : { hooks: missing }];
  }
  const homeGroup = kept[home] as Json & { hooks: unknown[] };
  kept[home] = { ...homeGroup, hooks: [...homeGroup.hooks, ...missing] };
  // Another group that held only ours (a duplicate, an old one) is left empty: it goes.
  return kept.filter((g, i) => !holdsOurs(groups[i]) || (g as { hooks: unknown[] }).hooks.length > 0);
}

/**
 * The settings or hooks file with our handlers added (or, with `remove`, taken out); undefined
 * when nothing changes, '' when the file is left empty and can go.
 */
export function editHooks(current: string | undefined, product: HookProduct, path: string, remove: boolean): string | undefined {
  if (current === undefined && remove) return undefined;
  const settings = parseJsonObject(current, path);
  const before = JSON.stringify(settings);
  const hooks = hooksTable(settings, path) ?? {};
  const hadHooks = Object.keys(hooks).length > 0;
  if (remove) {
    removeOurs(hooks);
  } else {
    const wantedEvents = wantedHooks(product);
    // An event an older crosstalk hooked and this one does not.
    removeOurs(
      hooks,
      wantedEvents.map(([event]) => event),
    );
    for (const [event, wanted] of wantedEvents) {
      const groups = hooks[event] ?? [];
      if (!Array.isArray(groups)) throw new CrosstalkError('CONFIG_INVALID', `${path}: "hooks.${event}" is not a list`, { hint: 'fix it, then install again' });
      hooks[event] = addOurs(groups, wanted, product);
    }
  }
  // An empty table the user wrote stays; one that only held ours goes.
  if (Object.keys(hooks).length > 0) settings.hooks = hooks;
  else if (hadHooks) delete settings.hooks;
  if (JSON.stringify(settings) === before && current !== undefined) return undefined;
  return Object.keys(settings).length === 0 ? '' : serializeJson(settings);
}
