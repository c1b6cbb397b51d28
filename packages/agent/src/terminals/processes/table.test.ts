import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@crosstalk/core/test-support';

import { isCrosstalkOrLauncher, normalizeName, sameCommand } from './names.js';
import { readParentChain, readProcessTable, readProcessTree } from './read.js';
import { ancestors, descendants, parseCimProcesses, parseProcCmdline, parseProcStat, parsePsOutput } from './table.js';

describe('process table parsing', () => {
  it('reads /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    expect(parseProcStat('4321 (my (odd) name) S 1234 4321 4321 0 -1 4194560 0 0')).toEqual({ pid: 4321, ppid: 1234, name: 'my (odd) name' });
    expect(parseProcStat('77 (bash) S 1 77 77')).toEqual({ pid: 77, ppid: 1, name: 'bash' });
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('x (y) S z')).toBeNull();
    expect(parseProcCmdline('node\0/usr/bin/crosstalk\0join\0')).toBe('node /usr/bin/crosstalk join');
  });

  it('reads macOS ps output with paths and login shells', () => {
    const out = '    1     0 /sbin/launchd\n  501   1 /Applications/Visual Studio Code.app/Contents/MacOS/Electron\n  602   501 -zsh\n\n  junk\n';
    expect(parsePsOutput(out, 'darwin')).toEqual([
      { pid: 1, ppid: 0, name: 'launchd' },
      { pid: 501, ppid: 1, name: 'Electron' },
      { pid: 602, ppid: 501, name: 'zsh' },
    ]);
  });

  it('reads the Windows CIM process list and skips malformed entries', () => {
    const json = JSON.stringify([
      { ProcessId: 4, ParentProcessId: 0, Name: 'System', CommandLine: null },
      { ProcessId: 600, ParentProcessId: 500, Name: 'Claude.EXE', CommandLine: 'claude.exe' },
      { ProcessId: 'x', ParentProcessId: 1, Name: 'bad' },
    ]);
    expect(parseCimProcesses(json)).toEqual([
      { pid: 4, ppid: 0, name: 'system' },
      { pid: 600, ppid: 500, name: 'claude', commandLine: 'claude.exe' },
    ]);
    expect(parseCimProcesses(JSON.stringify({ ProcessId: 9, ParentProcessId: 1, Name: 'pwsh.exe' }))).toEqual([{ pid: 9, ppid: 1, name: 'pwsh' }]);
    expect(() => parseCimProcesses('not json')).toThrow(/not JSON/);
  });

  it('walks down and up the tree and survives cycles', () => {
    const table = [
      { pid: 1, ppid: 0, name: 'init' },
      { pid: 10, ppid: 1, name: 'bash' },
      { pid: 11, ppid: 10, name: 'claude' },
      { pid: 12, ppid: 11, name: 'bash' },
      { pid: 20, ppid: 1, name: 'other' },
      { pid: 30, ppid: 31, name: 'a' },
      { pid: 31, ppid: 30, name: 'b' },
    ];
    expect(descendants(table, 10).map((p) => p.pid)).toEqual([10, 11, 12]);
    expect(descendants(table, 99)).toEqual([]);
    expect(ancestors(table, 12).map((p) => p.pid)).toEqual([12, 11, 10, 1]);
    expect(ancestors(table, 30).map((p) => p.pid)).toEqual([30, 31]);
  });
});

describe('process names', () => {
  it('normalises names per platform', () => {
    expect(normalizeName('/usr/local/bin/node', 'darwin')).toBe('node');
    expect(normalizeName('-bash', 'linux')).toBe('bash');
    expect(normalizeName('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.EXE', 'win32')).toBe('powershell');
  });

  it('matches names Linux cut to 15 bytes', () => {
    expect(sameCommand('a-very-long-age', 'a-very-long-agent-name')).toBe(true);
    expect(sameCommand('claude', 'claude-code')).toBe(false);
  });

  it('recognises crosstalk and its launchers, not agents that mention it', () => {
    expect(isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'crosstalk' })).toBe(true);
    expect(isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'npm exec crossta' })).toBe(true);
    expect(isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'node', commandLine: 'node /usr/bin/crosstalk join' })).toBe(true);
    expect(isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'node', commandLine: 'node /usr/lib/node_modules/npm/bin/npx-cli.js crosstalk@0.1.0 join' })).toBe(
      true,
    );
    expect(
      isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'node', commandLine: 'node /usr/lib/node_modules/npm/bin/npx-cli.js other-tool crosstalk-notes' }),
    ).toBe(false);
    // The installed package is crosstalk-cli: its bin, its bundle, and npx naming it.
    for (const line of [
      'node /usr/lib/node_modules/crosstalk-cli/bin/crosstalk.js join',
      'node /usr/lib/node_modules/crosstalk-cli/dist/bundle/bin.js agent run',
      'node /home/u/crosstalk/packages/cli/bin/crosstalk.js join',
      'node /usr/lib/node_modules/npm/bin/npx-cli.js crosstalk-cli join',
    ])
      expect(isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'node', commandLine: line }), line).toBe(true);
    expect(isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'node', commandLine: 'node /opt/claude/cli.js --add-dir /home/u/crosstalk' })).toBe(false);
    expect(isCrosstalkOrLauncher({ pid: 1, ppid: 0, name: 'claude', commandLine: 'claude crosstalk' })).toBe(false);
  });
});

describe('reading the live process table', () => {
  it('finds this process, its parent chain and its command line', async () => {
    const options = { platform: process.platform, timeoutMs: 10_000 };
    const table = await readProcessTable(options);
    expect(table.find((p) => p.pid === process.pid)).toMatchObject({ ppid: process.ppid });
    const chain = await readParentChain(process.pid, options);
    expect(chain[0]).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(chain[0]?.commandLine).toContain(process.argv[1]!.split('/').pop());
    expect(chain[1]?.pid).toBe(process.ppid);
  });

  it('walks the tree below a process, children of every thread included', async () => {
    const options = { platform: process.platform, timeoutMs: 10_000 };
    // A node process with a shell (and its sleep) started from the main thread, and a sleep started
    // from a worker thread.
    const script = [
      "const { spawn } = require('node:child_process');",
      "const { Worker } = require('node:worker_threads');",
      "spawn('sh', ['-c', 'sleep 1000 & wait'], { stdio: 'ignore' });",
      "new Worker(\"require('node:child_process').spawn('sleep', ['1001'], { stdio: 'ignore' }); setInterval(() => {}, 1e6);\", { eval: true });",
      'setInterval(() => {}, 1e6);',
    ].join('\n');
    const root = spawn(process.execPath, ['-e', script], { stdio: 'ignore', detached: true });
    try {
      const pid = root.pid!;
      const names = (tree: { name: string }[]) => tree.map((p) => p.name).sort();
      const expected = await waitFor('the tree to start', async () => {
        const tree = descendants(await readProcessTable(options), pid);
        return names(tree).join(' ') === 'node sh sleep sleep' && tree;
      });
      const tree = await readProcessTree(pid, options);
      expect(tree[0]).toMatchObject({ pid, name: 'node' });
      expect(tree.map((p) => p.pid).sort()).toEqual(expected.map((p) => p.pid).sort());
      expect(await readProcessTree(2 ** 31 - 1, options)).toEqual([]);
    } finally {
      process.kill(-root.pid!, 'SIGKILL');
    }
  });

  it.runIf(process.platform === 'linux')('leaves out processes that exited but were not reaped', async () => {
    const options = { platform: process.platform, timeoutMs: 10_000 };
    // sh starts a short sleep and becomes a long one, which never reaps the first: a zombie.
    const root = spawn('sh', ['-c', 'sleep 0 & exec sleep 1000'], { stdio: 'ignore', detached: true });
    try {
      const pid = root.pid!;
      const zombie = await waitFor('a zombie child', () => {
        const child = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]);
        if (!child) return false;
        const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
        return (
          stat
            .slice(stat.lastIndexOf(')') + 1)
            .trim()
            .startsWith('Z') && child
        );
      });
      expect((await readProcessTree(pid, options)).map((p) => p.pid)).toEqual([pid]);
      expect((await readProcessTable(options)).some((p) => p.pid === zombie)).toBe(false);
    } finally {
      process.kill(-root.pid!, 'SIGKILL');
    }
  });
});
