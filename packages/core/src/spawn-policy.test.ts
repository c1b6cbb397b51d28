// The spawn policy as a pure function: every rule that refuses, in its order, and the paths fuzzed:
// whole segments only, `..` never, and nothing allowed that does not really lie inside a root.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideKill, decidePeek, decideSpawn, isWithin, pathSegments, SPAWN_OFF, type SpawnPolicy } from './spawn-policy.js';

const policy: SpawnPolicy = { enabled: true, allow: ['alpha', 'admin'], kinds: ['codex', 'claude-code'], roots: ['/srv/work'], maxSessions: 2 };
const ask = { by: 'alpha', kind: 'codex', cwd: '/srv/work/api' };
const resolved = { cwd: '/srv/work/api', roots: ['/srv/work'] };

const ruleOf = (d: ReturnType<typeof decideSpawn>) => (d.ok ? 'allowed' : d.rule);

describe('decideSpawn', () => {
  it('allows a listed host to start a listed kind inside a root, in the resolved directory', () => {
    expect(decideSpawn(policy, ask, resolved, 0, 'posix')).toEqual({ ok: true, cwd: '/srv/work/api' });
    expect(decideSpawn(policy, { ...ask, by: 'admin' }, resolved, 1, 'posix')).toEqual({ ok: true, cwd: '/srv/work/api' });
    // A link from outside into a root: allowed, started where it really leads.
    expect(decideSpawn(policy, { ...ask, cwd: '/home/u/link' }, { ...resolved, cwd: '/srv/work/api' }, 0, 'posix')).toEqual({ ok: true, cwd: '/srv/work/api' });
  });

  it('refuses when spawning is off, which it is by default', () => {
    expect(ruleOf(decideSpawn(SPAWN_OFF, ask, resolved, 0, 'posix'))).toBe('off');
    expect(ruleOf(decideSpawn({ ...policy, enabled: false }, ask, resolved, 0, 'posix'))).toBe('off');
  });

  it('refuses a host the policy does not list', () => {
    const d = decideSpawn(policy, { ...ask, by: 'beta' }, resolved, 0, 'posix');
    expect(d).toEqual({ ok: false, rule: 'host-not-allowed', message: 'beta may not spawn on this host' });
    expect(ruleOf(decideSpawn({ ...policy, allow: ['alpha'] }, { ...ask, by: 'admin' }, resolved, 0, 'posix'))).toBe('host-not-allowed');
  });

  it('refuses a kind the policy does not list', () => {
    expect(ruleOf(decideSpawn({ ...policy, kinds: ['claude-code'] }, ask, resolved, 0, 'posix'))).toBe('kind-not-allowed');
  });

  it('refuses a relative working directory', () => {
    expect(ruleOf(decideSpawn(policy, { ...ask, cwd: 'srv/work' }, resolved, 0, 'posix'))).toBe('cwd-not-absolute');
  });

  it('refuses any path through "..", even one that would land inside a root', () => {
    expect(ruleOf(decideSpawn(policy, { ...ask, cwd: '/srv/work/api/../../etc' }, { ...resolved, cwd: '/etc' }, 0, 'posix'))).toBe('cwd-dot-dot');
    expect(ruleOf(decideSpawn(policy, { ...ask, cwd: '/srv/work/a/../api' }, resolved, 0, 'posix'))).toBe('cwd-dot-dot');
  });

  it('refuses a directory that does not exist', () => {
    expect(ruleOf(decideSpawn(policy, ask, { ...resolved, cwd: null }, 0, 'posix'))).toBe('cwd-missing');
  });

  it('refuses a directory outside the roots, compared by whole segments', () => {
    expect(ruleOf(decideSpawn(policy, { ...ask, cwd: '/etc' }, { ...resolved, cwd: '/etc' }, 0, 'posix'))).toBe('cwd-outside-roots');
    expect(ruleOf(decideSpawn(policy, { ...ask, cwd: '/srv/workshop' }, { ...resolved, cwd: '/srv/workshop' }, 0, 'posix'))).toBe('cwd-outside-roots');
    // No root exists: nothing is inside one.
    expect(ruleOf(decideSpawn(policy, ask, { cwd: '/srv/work/api', roots: [] }, 0, 'posix'))).toBe('cwd-symlink-escape');
  });

  it('refuses a directory inside a root as written whose link leads out of it', () => {
    const d = decideSpawn(policy, { ...ask, cwd: '/srv/work/escape' }, { ...resolved, cwd: '/etc' }, 0, 'posix');
    expect(ruleOf(d)).toBe('cwd-symlink-escape');
    // A root that is itself a link is compared by where it leads.
    expect(ruleOf(decideSpawn({ ...policy, roots: ['/w'] }, { ...ask, cwd: '/w/api' }, { cwd: '/data/w/api', roots: ['/data/w'] }, 0, 'posix'))).toBe(
      'allowed',
    );
  });

  it('refuses once the limit of spawned sessions runs', () => {
    expect(ruleOf(decideSpawn(policy, ask, resolved, 2, 'posix'))).toBe('limit-reached');
    expect(ruleOf(decideSpawn({ ...policy, maxSessions: 0 }, ask, resolved, 0, 'posix'))).toBe('limit-reached');
  });

  it('checks the rules in order: the first that refuses is named', () => {
    const everything = decideSpawn({ ...policy, enabled: false }, { by: 'x', kind: 'other', cwd: '../x' }, { cwd: null, roots: [] }, 9, 'posix');
    expect(ruleOf(everything)).toBe('off');
    expect(ruleOf(decideSpawn(policy, { by: 'x', kind: 'other', cwd: '../x' }, { cwd: null, roots: [] }, 9, 'posix'))).toBe('host-not-allowed');
    expect(ruleOf(decideSpawn(policy, { ...ask, kind: 'other', cwd: '../x' }, { cwd: null, roots: [] }, 9, 'posix'))).toBe('kind-not-allowed');
  });

  it('compares Windows paths without case, with either separator', () => {
    const win: SpawnPolicy = { ...policy, roots: ['C:\\Work'] };
    const d = decideSpawn(win, { ...ask, cwd: 'c:/work/API' }, { cwd: 'C:\\Work\\API', roots: ['C:\\Work'] }, 0, 'win32');
    expect(d.ok).toBe(true);
    expect(ruleOf(decideSpawn(win, { ...ask, cwd: 'C:\\Workshop' }, { cwd: 'C:\\Workshop', roots: ['C:\\Work'] }, 0, 'win32'))).toBe('cwd-outside-roots');
    expect(ruleOf(decideSpawn(win, { ...ask, cwd: 'C:\\Work\\..\\x' }, { cwd: 'C:\\x', roots: ['C:\\Work'] }, 0, 'win32'))).toBe('cwd-dot-dot');
  });
});

describe('decideKill', () => {
  it('lets the host itself and the admin stop a spawned session, and the hosts allowed to spawn', () => {
    expect(decideKill(SPAWN_OFF, 'beta', 'beta', true).ok).toBe(true);
    expect(decideKill(SPAWN_OFF, 'admin', 'beta', true).ok).toBe(true);
    expect(decideKill(policy, 'alpha', 'beta', true).ok).toBe(true);
  });

  it('refuses others, and any session it did not spawn', () => {
    expect(decideKill(SPAWN_OFF, 'alpha', 'beta', true)).toMatchObject({ ok: false, rule: 'off' });
    expect(decideKill(policy, 'gamma', 'beta', true)).toMatchObject({ ok: false, rule: 'host-not-allowed' });
    expect(decideKill(policy, 'beta', 'beta', false)).toMatchObject({ ok: false, rule: 'not-spawned' });
  });
});

describe('decidePeek', () => {
  it('lets the host itself and, by default, the admin read its screens, spawning on or off', () => {
    expect(decidePeek(SPAWN_OFF, 'beta', 'beta').ok).toBe(true);
    expect(decidePeek(SPAWN_OFF, 'admin', 'beta').ok).toBe(true);
    expect(decidePeek(SPAWN_OFF, 'alpha', 'beta')).toMatchObject({ ok: false, rule: 'peek-not-allowed' });
  });

  it('goes by the policy otherwise: more hosts, or not even the admin', () => {
    expect(decidePeek({ ...SPAWN_OFF, peek: ['alpha'] }, 'alpha', 'beta').ok).toBe(true);
    expect(decidePeek({ ...SPAWN_OFF, peek: ['alpha'] }, 'admin', 'beta')).toMatchObject({ ok: false, rule: 'peek-not-allowed' });
    expect(decidePeek({ ...SPAWN_OFF, peek: [] }, 'beta', 'beta').ok).toBe(true);
  });
});

// --- fuzzed paths -------------------------------------------------------------------------------

const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
const segments = fc.array(segment, { minLength: 0, maxLength: 6 });
const absolute = (segs: string[]) => `/${segs.join('/')}`;
/** A path written with stray doubled and trailing slashes and `.` segments, meaning the same. */
const messy = (segs: string[], noise: boolean[]) => `/${segs.map((s, i) => (noise[i] ? `${s}//./` : s)).join('/')}${noise[0] ? '/' : ''}`;

describe('paths, fuzzed', () => {
  it('a root contains itself and everything below it, however the path is spelled', () => {
    fc.assert(
      fc.property(segments, segments, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (root, below, noise) => {
        expect(isWithin(absolute(root), messy([...root, ...below], noise), 'posix')).toBe(true);
      }),
    );
  });

  it('a sibling that shares a prefix of the last segment is never inside (/a/b is not inside /a/bc)', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), segment, segments, (root, extra, below) => {
        const sibling = [...root.slice(0, -1), `${root[root.length - 1]}${extra}`, ...below];
        expect(isWithin(absolute(root), absolute(sibling), 'posix')).toBe(false);
      }),
    );
  });

  it('a requested path with a ".." segment anywhere is refused, whatever it resolves to', () => {
    fc.assert(
      fc.property(segments, segments, fc.constantFrom('..', '../', '/..'), (before, after, dots) => {
        const cwd = `/srv/work/${[...before, '..', ...after].join('/')}`.replace('/../', `/${dots.replace(/\//g, '')}/`);
        const d = decideSpawn(policy, { ...ask, cwd }, { cwd: '/srv/work/api', roots: ['/srv/work'] }, 0, 'posix');
        expect(pathSegments(cwd, 'posix')).toContain('..');
        expect(d).toMatchObject({ ok: false, rule: 'cwd-dot-dot' });
      }),
    );
  });

  it('nothing is allowed whose resolved path is outside every resolved root, and what is allowed starts there', () => {
    fc.assert(
      fc.property(fc.array(segments, { minLength: 0, maxLength: 3 }), segments, segments, fc.nat(3), (roots, asked, real, running) => {
        const resolvedRoots = roots.map(absolute);
        const d = decideSpawn(
          { ...policy, roots: resolvedRoots },
          { ...ask, cwd: absolute(asked) },
          { cwd: absolute(real), roots: resolvedRoots },
          running,
          'posix',
        );
        const inside = resolvedRoots.some((r) => isWithin(r, absolute(real), 'posix'));
        if (d.ok) {
          expect(inside).toBe(true);
          expect(d.cwd).toBe(absolute(real));
          expect(running).toBeLessThan(policy.maxSessions);
        } else if (!inside) {
          expect(['cwd-outside-roots', 'cwd-symlink-escape']).toContain(d.rule);
        }
      }),
    );
  });
});
