import { describe, expect, it } from 'vitest';
import { execaServiceRunner } from './runner.js';

const node = process.execPath;

describe('execaServiceRunner', () => {
  const run = execaServiceRunner();

  it('runs a program with an argument array, no shell, and returns its exit code and output', async () => {
    const r = await run({
      file: node,
      args: ['-e', 'console.log(process.argv[1]); console.error("e"); process.exit(3)', 'a b; echo $HOME'],
      timeoutMs: 30_000,
    });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'a b; echo $HOME', stderr: 'e', timedOut: false });
  });

  it('kills a program that runs past its timeout', async () => {
    const r = await run({ file: node, args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).not.toBe(0);
  });

  it('reports a program that does not exist instead of throwing', async () => {
    const r = await run({ file: 'crosstalk-no-such-program', args: [], timeoutMs: 30_000 });
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/ENOENT|not found/i);
  });
});
