// Codex runs a hook that is not managed by an administrator only once a person has trusted it: it
// records the trust in the user's config.toml as `[hooks.state."<hooks.json>:<event>:<group>:<handler>"]`
// with `trusted_hash`, the sha256 of the handler's normalized definition, and shows "Hooks need
// review" (and skips the hook) while an entry is missing or its hash is not the current one.
// `crosstalk skill install` writes these entries for its own handlers, exactly as Codex records a
// person's review, inside marker comments so that uninstall takes out exactly them; every other
// byte of config.toml stays. The rule below was checked against Codex 0.169.1, entry by entry.
// Pure; the text is handled as bytes (latin1), keys are UTF-8.
import { createHash } from 'node:crypto';
import { CrosstalkError } from '@crosstalk/core';
import { isOurHandler } from './hooks.js';
import { isObject, type Json, parseJsonObject } from './json-file.js';

export const TRUST_BEGIN = '# crosstalk hooks: written by `crosstalk skill install`; removed by `crosstalk skill install --uninstall`.';
export const TRUST_END = '# end crosstalk hooks';

/** How Codex names each event in trust keys and hashes. */
const EVENT_LABEL: Record<string, string> = {
  PreToolUse: 'pre_tool_use',
  PermissionRequest: 'permission_request',
  PostToolUse: 'post_tool_use',
  PreCompact: 'pre_compact',
  PostCompact: 'post_compact',
  SessionStart: 'session_start',
  UserPromptSubmit: 'user_prompt_submit',
  SubagentStart: 'subagent_start',
  SubagentStop: 'subagent_stop',
  Stop: 'stop',
  Interrupt: 'interrupt',
  SessionEnd: 'session_end',
};
/** Events whose matcher Codex honours, and so hashes; it ignores the matcher of any other. */
const WITH_MATCHER = new Set(['PreToolUse', 'PermissionRequest', 'PostToolUse', 'PreCompact', 'PostCompact', 'SessionStart', 'SubagentStart', 'SubagentStop']);
/** Codex runs these for 1 second by default and 3 at most; any other for 600 by default. */
const SHORT = new Set(['Interrupt', 'SessionEnd']);

export interface TrustEntry {
  key: string;
  /** `sha256:<hex>`. */
  hash: string;
}

function effectiveTimeout(event: string, timeout: unknown): number {
  const given = typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 0 ? timeout : undefined;
  const seconds = SHORT.has(event) ? Math.min(given ?? 1, 3) : (given ?? 600);
  return Math.max(seconds, 1);
}

/**
 * The hash Codex trusts a command handler by: sha256 of compact JSON, keys sorted, of
 * `{event_name, hooks: [{async, command, [statusMessage,] timeout, type}], [matcher]}`.
 */
export function handlerHash(event: string, group: Json, handler: Json): string {
  const normalized: Json = { async: handler.async === true, command: handler.command };
  if (typeof handler.statusMessage === 'string') normalized.statusMessage = handler.statusMessage;
  normalized.timeout = effectiveTimeout(event, handler.timeout);
  normalized.type = 'command';
  const identity: Json = { event_name: EVENT_LABEL[event], hooks: [normalized] };
  if (WITH_MATCHER.has(event) && typeof group.matcher === 'string') identity.matcher = group.matcher;
  return `sha256:${createHash('sha256').update(JSON.stringify(identity)).digest('hex')}`;
}

/**
 * The trust entries of our handlers in the hooks file as it will be written, keyed by `keyPath`
 * (the file's canonical path: Codex resolves links) and by their indices in that file.
 */
export function trustEntries(hooksText: string | undefined, keyPath: string, where: string): TrustEntry[] {
  const hooks = parseJsonObject(hooksText, where).hooks;
  if (!isObject(hooks)) return [];
  const entries: TrustEntry[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!(event in EVENT_LABEL) || !Array.isArray(groups)) continue;
    groups.forEach((group, g) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) return;
      group.hooks.forEach((handler, h) => {
        if (isOurHandler(handler) && (handler as Json).type === 'command')
          entries.push({ key: `${keyPath}:${EVENT_LABEL[event]}:${g}:${h}`, hash: handlerHash(event, group, handler as Json) });
      });
    });
  }
  return entries;
}

const toLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** A TOML basic string: `"` and `\` escaped, and every control character. */
export function tomlString(s: string): string {
  const escaped = s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => (c === '\\' || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return `"${escaped}"`;
}

/** The table header of a key, as bytes (latin1), the way both Codex and we write it. */
const header = (key: string) => toLatin1(`[hooks.state.${tomlString(key)}]`);

const HEADER = /^\s*\[\s*hooks\s*\.\s*state\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*')\s*\]/;
const HASH = /^\s*trusted_hash\s*=\s*"([^"]*)"/;

interface Table {
  /** The header line as written, trimmed (bytes as latin1). */
  header: string;
  hash: string | undefined;
}

/** Every `[hooks.state."…"]` table: its header line and its trusted_hash, in order. */
function tablesIn(text: string): Table[] {
  const tables: Table[] = [];
  let current: Table | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*\[/.test(line)) {
      const found = HEADER.exec(line);
      current = found ? { header: found[0].trim(), hash: undefined } : undefined;
      if (current) tables.push(current);
    } else if (current && current.hash === undefined) {
      current.hash = HASH.exec(line)?.[1];
    }
  }
  return tables;
}

interface Block {
  /** Where the begin marker's line starts. */
  start: number;
  /** Just past the end marker (its line break not included). */
  end: number;
  tables: Table[];
}

const damaged = (where: string) =>
  new CrosstalkError('CONFIG_INVALID', `${where} has damaged crosstalk hooks markers`, {
    hint: `keep one "${TRUST_BEGIN}" line followed by one "${TRUST_END}" line, or delete both and the lines between them`,
  });

/** Where `marker` starts a line, at or after `from`; -1 when it does not. */
function lineStart(text: string, marker: string, from = 0): number {
  for (let i = text.indexOf(marker, from); i >= 0; i = text.indexOf(marker, i + 1)) if (i === 0 || text[i - 1] === '\n') return i;
  return -1;
}

/** Our block: one begin line, then one end line. */
function findBlock(text: string, where: string): Block | undefined {
  const start = lineStart(text, TRUST_BEGIN);
  const endAt = lineStart(text, TRUST_END);
  if (start < 0 && endAt < 0) return undefined;
  if (start < 0 || endAt < start || lineStart(text, TRUST_BEGIN, start + 1) >= 0 || lineStart(text, TRUST_END, endAt + 1) >= 0) throw damaged(where);
  return { start, end: endAt + TRUST_END.length, tables: tablesIn(text.slice(start, endAt)) };
}

/** The trusted_hash recorded for each key's header in `config` (ours or the user's), for doctor. */
export function recordedHashes(config: string | undefined): Map<string, string | undefined> {
  return new Map(tablesIn(config ?? '').map((t) => [t.header, t.hash]));
}

/** Whether `entry` is trusted in `config` with its current hash. */
export function isTrusted(recorded: ReadonlyMap<string, string | undefined>, entry: TrustEntry): boolean {
  return recorded.get(header(entry.key)) === entry.hash;
}

/**
 * config.toml with our block holding `entries` for the hooks file `keyPath` (and still those of our
 * other hooks files), or with them taken out; undefined when nothing changes, '' when the file is
 * left empty. A key the user's own config already has, outside the block, is left to it.
 */
export function editTrust(config: string | undefined, keyPath: string, entries: TrustEntry[], where: string): string | undefined {
  const text = config ?? '';
  const block = findBlock(text, where);
  const outside = block ? text.slice(0, block.start) + text.slice(block.end) : text;
  const theirs = new Set(tablesIn(outside).map((t) => t.header));
  const mine = header(`${keyPath}:`).slice(0, -2); // up to the key's closing quote: `[hooks.state."<path>:`
  const kept = (block?.tables ?? []).filter((t) => !t.header.startsWith(mine));
  const added = entries.map((e) => ({ header: header(e.key), hash: e.hash })).filter((t) => !theirs.has(t.header));
  const next = [...kept, ...added];
  const before = block?.tables ?? [];
  if (next.length === before.length && next.every((t, i) => t.header === before[i]?.header && t.hash === before[i]?.hash)) return undefined;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  if (next.length === 0) return block ? withoutBlock(text, block, nl) : undefined;
  const body = [TRUST_BEGIN, ...next.flatMap((t) => [t.header, `trusted_hash = ${JSON.stringify(t.hash ?? '')}`]), TRUST_END].join(nl);
  if (block) return text.slice(0, block.start) + body + text.slice(block.end);
  // Appended after everything: tables only, so nothing of the user's changes meaning. The closing
  // line break is there when the file ended with one, so that uninstall can give the bytes back.
  if (text === '') return body + nl;
  return text.endsWith('\n') ? `${text}${nl}${body}${nl}` : `${text}${nl}${nl}${body}`;
}

function withoutBlock(text: string, block: Block, nl: string): string {
  const after = text.slice(block.end);
  let before = text.slice(0, block.start);
  if (after.startsWith(nl)) {
    // The block and its line break go, and the blank line that set it apart.
    if (before.endsWith(nl + nl)) before = before.slice(0, -nl.length);
    return before + after.slice(nl.length);
  }
  // At the very end with no line break: the file had none either; the two put before the block go.
  if (before.endsWith(nl + nl)) before = before.slice(0, -2 * nl.length);
  return before + after;
}
