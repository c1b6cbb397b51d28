// The host agent as a Windows program: the real CLI bundle run by the Windows node.exe under Wine
// enrolls (`crosstalk agent join`) and runs (`crosstalk agent run`) against a relay running
// natively on 127.0.0.1, beside a Linux host. Its copies are written under Windows paths in the
// Windows config home, byte-identical to the Linux host's and the relay's; it resumes after a
// relay restart; and a copy held open by another program (no delete sharing) is still replaced:
// the new copy waits beside it until that program lets go (the rename retry).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { visibleText } from '@crosstalk/core';
import { endpointPath } from '@crosstalk/core/endpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, explain, Lab, type Host } from '../harness/index.js';
import type { Proc } from '../harness/process.js';
import { skipWindows, WINDOWS_NODE } from './support/prereqs.js';
import { winPath, WinePrefix } from './support/wine.js';

const skip = skipWindows();
const HOLD_OPEN = new URL('./fixtures/hold-open.mjs', import.meta.url).pathname;
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(skip)('the host agent as a Windows program', () => {
  let lab: Lab;
  let wine: WinePrefix;
  let penguin: Host;
  let winAgent: Proc;
  /** The Windows default home, C:\users\<user>\.crosstalk, as a Unix path. */
  let home: string;
  let id: string;
  /** The same home as Windows programs name it. */
  let winHome: string;

  beforeAll(async () => {
    lab = await Lab.create('windows-agent');
    await lab.startRelay();
    penguin = await lab.host('penguin');
    await lab.startAgent(penguin);
    wine = await WinePrefix.create(lab);
    home = join(wine.userProfile, '.crosstalk');
  }, 180_000);
  afterAll(async () => {
    await wine?.kill();
    await lab?.cleanup();
  });

  const agentStatus = async () => JSON.parse(await readFile(join(home, 'agent-status.json'), 'utf8')) as { connected: boolean; pid: number };
  const markdown = async (conversation: string) => (await lab.relay!.adminClient()).getMarkdown(conversation);

  it('enrolls with an invite: config and key in the Windows home, the key through the Windows protection path', async () => {
    const invite = await lab.run(lab.relay!.home, ['relay', 'invite', '--host', 'win-laptop', '--url', lab.relay!.url, '--json']);
    expect(invite.exitCode, explain(invite)).toBe(0);
    const joined = await wine.cli(['agent', 'join', lab.relay!.url, '--invite', invite.json<{ invite: string }>().invite, '--host', 'win-laptop', '--json']);
    expect(joined.exitCode, joined.stderr).toBe(0);
    const data = JSON.parse(joined.stdout) as { home: string; conversationsDir: string; host: string };
    expect(data.home).toMatch(/^C:\\users\\[^\\]+\\\.crosstalk$/);
    winHome = data.home;
    expect(data.conversationsDir).toBe(`${data.home}\\conversations`);
    const config = JSON.parse(await readFile(join(home, 'config.json'), 'utf8')) as { host: string; conversationsDir: string };
    expect(config).toMatchObject({ host: 'win-laptop', conversationsDir: data.conversationsDir });
    expect(existsSync(join(home, 'host-key.json'))).toBe(true);
    // The CLI ran icacls on the key and it exited 0 (else join fails); Wine's icacls changes no
    // permission, so the resulting ACL is checked by hand on Windows (docs/WINDOWS.md).
    const doctor = await wine.cli(['doctor', '--json']);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ name: string; status: string; message: string }> }).checks;
    expect(checks.find((c) => c.name === 'keys')).toMatchObject({ status: 'ok', message: expect.stringContaining('key files present') });
  });

  it('runs, links, and writes copies under Windows paths byte-identical to the Linux host and the relay', async () => {
    winAgent = wine.spawn('agent win-laptop', [WINDOWS_NODE, winPath(CLI_BIN), 'agent', 'run', '--log-level', 'debug']);
    await lab.waitFor('the Windows agent to link', async () => (await agentStatus().catch(() => null))?.connected === true);
    for (const [who, run] of [
      ['tux', (a: string[]) => penguin.run(a)],
      ['winnie', (a: string[]) => wine.cli(a)],
    ] as const) {
      const joined = await run(['join', '--as', who, '--no-wake']);
      expect(joined.exitCode, joined.stderr).toBe(0);
    }
    // Bodies with CRLF, a lone CR, tabs, non-BMP text and trailing spaces: copies keep them verbatim.
    const open = await penguin.run([
      'open',
      '--as',
      'tux',
      '--topic',
      'windows copies',
      '--with',
      'winnie',
      '--max-turns',
      '20',
      '--body',
      'line one\r\nline two\rthree\ttabs 😀  ',
    ]);
    expect(open.exitCode, explain(open)).toBe(0);
    id = open.stdout.trim();
    const reply = await wine.cli(['reply', id, '--as', 'winnie', '--expect-turn', '2', '--body', 'from Windows: C:\\path\\file.md\r\nsecond line']);
    expect(reply.exitCode, reply.stderr).toBe(0);
    await expectSameCopies(id, 2);
    const copy = await readFile(join(home, 'conversations', `${id}.md`));
    // No line-ending conversion on either side: a CR reaches the copy as the visible ␍ of every
    // host's rendering (copies hold no control characters but newline and tab).
    expect(copy.includes(Buffer.from(visibleText('from Windows: C:\\path\\file.md\r\nsecond line')))).toBe(true);
    expect(copy.includes(Buffer.from(visibleText('line one\r\nline two\rthree\ttabs 😀  ')))).toBe(true);
    expect(copy.includes(0x0d)).toBe(false);
  });

  it('listens on the named pipe every command of its home computes, and doctor under Windows sees it running and linked', async () => {
    const logged = (await readFile(join(lab.dir, 'agent-win-laptop.log'), 'utf8'))
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; endpoint?: string })
      .find((l) => l.msg === 'local endpoint listening');
    // The name every command of this home computes (`crosstalk hook` among them). That no one
    // else can serve it meanwhile is not shown here: Wine lets a second server create the name.
    const pipe = endpointPath(winHome, 'win32', '', 0);
    expect(pipe).toMatch(/^\\\\\.\\pipe\\crosstalk-[0-9a-f]{16}$/);
    expect(logged?.endpoint).toBe(pipe);
    // The secret got its owner-only ACL (icacls ran and exited 0), so posts go through the agent.
    expect(await readFile(join(lab.dir, 'agent-win-laptop.log'), 'utf8')).not.toContain('no endpoint secret');
    const doctor = await wine.cli(['doctor', '--json']);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ name: string; status: string; message: string }> }).checks;
    expect(checks.find((c) => c.name === 'agent')).toMatchObject({ status: 'ok', message: expect.stringMatching(/^running \(pid \d+\), connected/) });
  });

  it('resumes after a relay restart', async () => {
    await lab.restartRelay();
    const reply = await penguin.run(['reply', id, '--as', 'tux', '--expect-turn', '3', '--body', 'after the restart']);
    expect(reply.exitCode, explain(reply)).toBe(0);
    await expectSameCopies(id, 3);
    expect((await agentStatus()).pid).toBeGreaterThan(0);
    expect(winAgent.running).toBe(true);
  });

  it('replaces a copy that another program holds open without delete sharing, once it lets go', async () => {
    const dir = join(home, 'conversations');
    const copy = join(dir, `${id}.md`);
    const record = join(lab.dir, 'hold.txt');
    const release = join(lab.dir, 'hold.release');
    const holder = wine.spawn('hold-open', [WINDOWS_NODE, winPath(HOLD_OPEN), winPath(copy), winPath(release), winPath(record)]);
    await lab.waitFor('the copy to be held open', async () => {
      const text = await readFile(record, 'utf8').catch(() => '');
      if (text.startsWith('failed')) throw new Error('the holder could not open the copy');
      return text.startsWith('held');
    });
    const before = await readFile(copy);
    const reply = await wine.cli(['reply', id, '--as', 'winnie', '--expect-turn', '4', '--body', 'while the copy is held open']);
    expect(reply.exitCode, reply.stderr).toBe(0);
    // The agent wrote the new copy beside the old one and cannot rename it over while it is held.
    const pending = await lab.waitFor(
      'the new copy to wait beside the held one',
      async () => (await readdir(dir)).find((f) => f.startsWith(`.${id}.md.`) && f.endsWith('.tmp')),
      { intervalMs: 10 },
    );
    expect((await readFile(copy)).equals(before)).toBe(true);
    await writeFile(release, '');
    await lab.waitFor('the copy to be replaced', async () => (await readFile(copy, 'utf8')).includes('while the copy is held open'), { intervalMs: 10 });
    await holder.exited;
    expect(await readFile(record, 'utf8')).toMatch(/^held \d+\nreleased \d+\n$/);
    expect(await readdir(dir)).not.toContain(pending);
    await expectSameCopies(id, 4);
  });

  /** Waits until the Windows copy holds `turns` turns, then compares it byte for byte. */
  async function expectSameCopies(conversation: string, turns: number): Promise<void> {
    const winCopy = join(home, 'conversations', `${conversation}.md`);
    const linuxCopy = join(penguin.home, 'conversations', `${conversation}.md`);
    const relayText = await lab.waitFor(`turn ${turns} in both copies`, async () => {
      const text = await markdown(conversation);
      if (!text.includes(`\nturns: ${turns}\n`)) return undefined;
      const [win, linux] = await Promise.all([readFile(winCopy).catch(() => null), readFile(linuxCopy).catch(() => null)]);
      return win && linux && win.toString('utf8') === text && linux.toString('utf8') === text ? text : undefined;
    });
    const win = await readFile(winCopy);
    expect(sha(win)).toBe(sha(await readFile(linuxCopy)));
    expect(sha(win)).toBe(sha(Buffer.from(relayText)));
    expect(win.includes(Buffer.from('\r\n---'))).toBe(false);
  }
});
