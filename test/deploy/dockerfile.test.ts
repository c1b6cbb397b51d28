// Docker cannot run here, so the image definition is checked by reading it: its stages, what the
// runtime stage holds, who it runs as, and that every file it copies is in the build context.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoFile } from '../harness/index.js';
import { parseDockerfile, readRepoFile, type Stage } from './support.js';

const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const ignore = readRepoFile('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const workspaces = (JSON.parse(readRepoFile('package.json')) as { workspaces: string[] }).workspaces;

const ops = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);
const execForm = (args: string) => JSON.parse(args) as string[];

/** Whether .dockerignore keeps a path out of the build context (Docker's pattern rules, minus `!`). */
function ignored(path: string): boolean {
  const clean = path.replace(/\/+$/, '');
  return ignore.some((pattern) => {
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\u0000/g, '(?:.*/)?')}(?:/.*)?$`,
    );
    return re.test(clean);
  });
}

describe('Dockerfile', () => {
  const [build, runtime] = dockerfile.stages;

  it('builds in one stage and runs from another, both on the official Node 20 bookworm-slim image', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(dockerfile.args.map((a) => a.args)).toEqual(['NODE_IMAGE=node:20-bookworm-slim']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own build argument, as written there
    expect(dockerfile.stages.map((s) => s.image)).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
  });

  it('installs everything and compiles in the build stage', () => {
    const runs = ops(build!, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build/);
  });

  it('gives the runtime stage only production dependencies and the compiled packages', () => {
    const runs = ops(runtime!, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci --omit=dev\b/);
    const copies = ops(runtime!, 'COPY');
    const fromBuild = copies.filter((c) => c.startsWith('--from=build'));
    expect(fromBuild.sort()).toEqual(workspaces.map((w) => `--from=build /src/${w}/dist ${w}/dist`).sort());
    // No sources, tests or dev tooling: only manifests, the lock file and the health check.
    for (const c of copies.filter((c) => !c.startsWith('--from='))) expect(c).toMatch(/package(-lock)?\.json|deploy\/healthcheck\.mjs/);
  });

  it('copies every workspace manifest before npm ci, in both stages', () => {
    for (const stage of [build!, runtime!]) {
      const ciAt = stage.instructions.findIndex((i) => i.op === 'RUN' && /npm ci\b/.test(i.args));
      const before = stage.instructions
        .slice(0, ciAt)
        .filter((i) => i.op === 'COPY')
        .map((i) => i.args);
      for (const w of workspaces) expect(before).toContain(`${w}/package.json ${w}/`);
      expect(before.some((c) => c.includes('package-lock.json'))).toBe(true);
    }
  });

  it('puts `crosstalk` on PATH and runs the relay on 0.0.0.0:7717 with its data on /data', () => {
    expect(ops(runtime!, 'RUN').join('\n')).toContain('ln -s /app/packages/cli/dist/bundle/bin.js /usr/local/bin/crosstalk');
    expect(ops(build!, 'RUN').join('\n')).toMatch(/chmod 0755 packages\/cli\/dist\/bundle\/bin\.js/);
    expect(ops(runtime!, 'CMD').map(execForm)).toEqual([['crosstalk', 'relay', 'serve', '--host', '0.0.0.0', '--port', '7717', '--data-dir', '/data']]);
    expect(ops(runtime!, 'VOLUME')).toEqual(['/data']);
    expect(ops(runtime!, 'EXPOSE')).toEqual(['7717']);
    expect(ops(runtime!, 'STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('runs as a user that is not root, who owns the data dir', () => {
    const users = ops(runtime!, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(ops(runtime!, 'RUN').join('\n')).toContain(`chown ${users[0]}:${users[0]} /data`);
    // USER comes before CMD, so nothing the container runs is root.
    const names = runtime!.instructions.map((i) => i.op);
    expect(names.indexOf('USER')).toBeLessThan(names.indexOf('CMD'));
  });

  it('checks its health with the node script, not curl', () => {
    const [hc] = ops(runtime!, 'HEALTHCHECK');
    expect(hc).toBeDefined();
    const cmd = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/.exec(hc!);
    expect(cmd, hc).not.toBeNull();
    expect(execForm(cmd![1]!)).toEqual(['node', '/app/deploy/healthcheck.mjs']);
    expect(ops(runtime!, 'COPY')).toContain('deploy/healthcheck.mjs deploy/healthcheck.mjs');
    const commands = dockerfile.stages.flatMap((s) => s.instructions.filter((i) => i.op === 'RUN' || i.op === 'HEALTHCHECK').map((i) => i.args));
    for (const c of commands) expect(c).not.toMatch(/\bcurl\b|\bwget\b/);
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    const sources = dockerfile.stages
      .flatMap((s) => ops(s, 'COPY'))
      .filter((c) => !c.startsWith('--from='))
      .flatMap((c) => c.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      expect(existsSync(repoFile(src)), src).toBe(true);
      expect(ignored(src), src).toBe(false);
    }
  });

  it('keeps node_modules, dist, build info and .git out of the context', () => {
    for (const path of [
      'node_modules',
      'node_modules/zod/index.js',
      'packages/cli/node_modules',
      'packages/core/dist',
      'packages/relay/dist/main.js',
      'packages/core/tsconfig.tsbuildinfo',
      '.git',
      '.git/HEAD',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of ['packages/core/src/index.ts', 'packages/cli/scripts/gen-help.mjs', 'package-lock.json', 'tsconfig.base.json']) {
      expect(ignored(path), path).toBe(false);
    }
  });
});
