// Whether a host lets someone start or stop a coding agent on it: one pure function per
// question, over the host's own policy and paths already resolved by the caller (realpath is I/O
// and stays at the edge). Starting a coding agent on request is remote code execution by design;
// these functions are the whole of what bounds it, so every refusal names the rule that refused.

/** The rules a spawn, kill or peek can be refused by; each refusal names one. */
export const SPAWN_RULES = [
  'off',
  'host-not-allowed',
  'kind-not-allowed',
  'cwd-not-absolute',
  'cwd-dot-dot',
  'cwd-missing',
  'cwd-outside-roots',
  'cwd-symlink-escape',
  'limit-reached',
  'not-spawned',
  'peek-not-allowed',
] as const;
export type SpawnRule = (typeof SPAWN_RULES)[number];

/** The requester that is not a host: the holder of the relay's admin key. */
export const ADMIN_ACTOR = 'admin';

export interface SpawnPolicy {
  /** Off by default: nothing is started on request unless the host's own config says so. */
  enabled: boolean;
  /** Host names (or `admin`) that may spawn and kill here. */
  allow: readonly string[];
  /** Kinds of coding agent that may be started. */
  kinds: readonly string[];
  /** Working directories a spawned agent may start in, and below. */
  roots: readonly string[];
  /** Spawned sessions that may run at once. */
  maxSessions: number;
  /** Who besides this host may read its sessions' screens through the relay; `["admin"]` when absent. */
  peek?: readonly string[];
}

export interface SpawnAsk {
  /** Who asked, as the relay stamped it: a host name or `admin`. */
  by: string;
  kind: string;
  /** The working directory as requested. */
  cwd: string;
}

/** The paths of a request as the file system resolves them (the caller's realpath). */
export interface ResolvedPaths {
  /** realpath of the requested cwd; null when it does not exist or is not a directory. */
  cwd: string | null;
  /** realpath of each configured root that exists, in the policy's order. */
  roots: readonly string[];
}

export type PathStyle = 'posix' | 'win32';

export type Decision = { ok: true; cwd: string } | { ok: false; rule: SpawnRule; message: string };

const refuse = (rule: SpawnRule, message: string): Decision => ({ ok: false, rule, message });

/** The segments of an absolute path: separators collapsed, `.` dropped; `..` kept (callers refuse it). */
export function pathSegments(path: string, style: PathStyle): string[] {
  const parts = (style === 'win32' ? path.replace(/\//g, '\\').split('\\') : path.split('/')).filter((s) => s !== '' && s !== '.');
  return style === 'win32' ? parts.map((s) => s.toLowerCase()) : parts;
}

export function isAbsolutePath(path: string, style: PathStyle): boolean {
  return style === 'win32' ? /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\]/.test(path) : path.startsWith('/');
}

/** Whether `path` is `root` or below it, segment by segment: `/a/b` is not inside `/a/bc`. */
export function isWithin(root: string, path: string, style: PathStyle): boolean {
  const r = pathSegments(root, style);
  const p = pathSegments(path, style);
  if (r.includes('..') || p.includes('..') || p.length < r.length) return false;
  return r.every((seg, i) => seg === p[i]);
}

/**
 * Whether `ask` may start a coding agent here, and in which directory (the resolved one: the agent
 * is started where the path really leads, never through a link). `running`: spawned sessions
 * running now. Rules are checked in the order of SPAWN_RULES.
 */
export function decideSpawn(policy: SpawnPolicy, ask: SpawnAsk, resolved: ResolvedPaths, running: number, style: PathStyle): Decision {
  if (!policy.enabled) return refuse('off', 'spawning is off on this host');
  if (!policy.allow.includes(ask.by)) return refuse('host-not-allowed', `${ask.by} may not spawn on this host`);
  if (!policy.kinds.includes(ask.kind)) return refuse('kind-not-allowed', `${ask.kind} may not be spawned on this host`);
  if (!isAbsolutePath(ask.cwd, style)) return refuse('cwd-not-absolute', 'the working directory must be an absolute path');
  if (pathSegments(ask.cwd, style).includes('..')) return refuse('cwd-dot-dot', 'the working directory may not go through ".."');
  if (resolved.cwd === null) return refuse('cwd-missing', 'the working directory does not exist or is not a directory');
  const really = resolved.roots.some((root) => isWithin(root, resolved.cwd as string, style));
  if (!really) {
    // Named as written inside a root, but leading out of it: a link was followed out.
    const asWritten = [...policy.roots, ...resolved.roots].some((root) => isWithin(root, ask.cwd, style));
    return asWritten
      ? refuse('cwd-symlink-escape', 'the working directory leads out of the allowed roots through a symbolic link')
      : refuse('cwd-outside-roots', 'the working directory is outside the allowed roots');
  }
  if (running >= policy.maxSessions) return refuse('limit-reached', `${running} spawned sessions run here already (at most ${policy.maxSessions})`);
  return { ok: true, cwd: resolved.cwd };
}

/**
 * Whether `by` may stop the session `session` of host `host`: the host itself and the admin may,
 * and so may the hosts the policy lets spawn here. Only sessions this host spawned can be killed.
 */
export function decideKill(policy: SpawnPolicy, by: string, host: string, spawned: boolean): { ok: true } | { ok: false; rule: SpawnRule; message: string } {
  if (by !== host && by !== ADMIN_ACTOR) {
    if (!policy.enabled) return { ok: false, rule: 'off', message: 'spawning is off on this host' };
    if (!policy.allow.includes(by)) return { ok: false, rule: 'host-not-allowed', message: `${by} may not kill sessions on this host` };
  }
  if (!spawned) return { ok: false, rule: 'not-spawned', message: 'only sessions spawned by this host agent can be killed' };
  return { ok: true };
}

/**
 * Whether `by` may read the screen of a session of `host` through the relay: the host itself
 * always, anyone else as its policy's `peek` says (the admin alone when it says nothing).
 */
export function decidePeek(policy: SpawnPolicy, by: string, host: string): { ok: true } | { ok: false; rule: SpawnRule; message: string } {
  if (by === host || (policy.peek ?? [ADMIN_ACTOR]).includes(by)) return { ok: true };
  return { ok: false, rule: 'peek-not-allowed', message: `${by} may not read the screens of this host's sessions` };
}

/** The policy of a host whose config says nothing: everything off. */
export const SPAWN_OFF: SpawnPolicy = { enabled: false, allow: [], kinds: [], roots: [], maxSessions: 0 };
