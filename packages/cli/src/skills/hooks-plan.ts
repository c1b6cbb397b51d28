// The plan's actions for the files the hooks live in: Claude Code's settings.json (which also holds
// the permission rules, so both edits are planned together and the file is written once with
// both), Codex's hooks.json, and the trust entries Codex needs in the user's config.toml, computed
// from hooks.json as it will be written; and for doctor, which of those entries are missing. Pure.
import { editHooks } from './hooks.js';
import { claudeAllowRules, editClaudeSettings } from './permissions.js';
import { editTrust, isTrusted, recordedHashes, trustEntries } from './codex-trust.js';
import { fileAction, type SkillAction, type SkillFiles, type SkillRequest, skillPaths } from './request.js';

// JSON files are UTF-8; the plan holds bytes as latin1 strings.
const utf8 = (latin1: string | undefined) => (latin1 === undefined ? undefined : Buffer.from(latin1, 'latin1').toString('utf8'));
const encoded = (text: string): Uint8Array | '' => (text === '' ? '' : Buffer.from(text, 'utf8'));

/**
 * Claude Code's settings: the allow rules (`permissions`), then our hooks (`hooks`). Each action
 * says what its part changed; both carry the file as it ends up.
 */
export function planClaudeSettings(req: SkillRequest, path: string, current: string | undefined): SkillAction[] {
  const remove = req.uninstall === true;
  const original = utf8(current);
  const withRules = editClaudeSettings(original, claudeAllowRules(req.conversationsDir), path, remove) ?? original;
  const final = editHooks(withRules, 'claude', path, remove) ?? withRules;
  const after = encoded(final ?? '');
  const existed = current !== undefined;
  return [
    fileAction({ product: 'claude', part: 'permissions', path }, existed, withRules !== original, after, req),
    fileAction({ product: 'claude', part: 'hooks', path }, existed, final !== withRules, after, req),
  ];
}

interface CodexHookPaths {
  hooks: string;
  /** The user's config.toml. */
  config: string;
  /** The hooks file's real path, which Codex keys its trust entries by. */
  keyPath: string;
}

/** Codex's hooks.json, and our trust entries in the user's config.toml that match it. */
export function planCodexHooks(req: SkillRequest, paths: CodexHookPaths, read: (path: string) => string | undefined): SkillAction[] {
  const remove = req.uninstall === true;
  const current = read(paths.hooks);
  const original = utf8(current);
  const edited = editHooks(original, 'codex', paths.hooks, remove);
  const final = edited ?? original;
  const entries = remove || final === undefined || final === '' ? [] : trustEntries(final, paths.keyPath, paths.hooks);
  const config = read(paths.config);
  const trust = editTrust(config, paths.keyPath, entries, paths.config);
  return [
    fileAction({ product: 'codex', part: 'hooks', path: paths.hooks }, current !== undefined, edited !== undefined, encoded(final ?? ''), req),
    fileAction(
      { product: 'codex', part: 'hook-trust', path: paths.config },
      config !== undefined,
      trust !== undefined,
      trust === undefined || trust === '' ? '' : Buffer.from(trust, 'latin1'),
      req,
    ),
  ];
}

/** How many of our handlers in Codex's hooks file at `req`'s scope lack a trust entry with their current hash (for doctor). */
export function codexTrustGaps(req: SkillRequest, files: SkillFiles): number {
  const paths = skillPaths(req);
  const text = (path: string) => {
    const buf = files.bytes.get(path);
    return buf === undefined ? undefined : Buffer.from(buf).toString('latin1');
  };
  const hooks = utf8(text(paths.codexHooks));
  if (hooks === undefined) return 0;
  const recorded = recordedHashes(text(paths.codexUserConfig));
  const entries = trustEntries(hooks, files.realPaths.get(paths.codexHooks) ?? paths.codexHooks, paths.codexHooks);
  return entries.filter((e) => !isTrusted(recorded, e)).length;
}
