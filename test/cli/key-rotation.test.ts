// Key rotation through the real CLI, with real agents: `agent rotate-key` while the host's agent
// runs (it keeps working, and reconnects with the new key when the relay closes the link the old
// key signed), and `relay rotate-admin-key` on the relay machine. The relay runs with a 3-s overlap.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type Host, type Lab } from '../harness/index.js';
import type { AgentProc } from '../harness/agent.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
let alpha: Host;
let beta: Host;
let alphaAgent: AgentProc;

const linkedCount = (agent: AgentProc) =>
  agent.proc
    .logs()
    .split('\n')
    .filter((l) => l.includes('"msg":"linked to the relay"')).length;
const keyOf = async (home: string) => (JSON.parse(await readFile(join(home, 'host-key.json'), 'utf8')) as { x: string }).x;

beforeAll(async () => {
  ({
    lab,
    alpha,
    beta,
    agents: { alpha: alphaAgent },
  } = await twoHosts('key-rotation', { serveArgs: ['--key-overlap', '3s'] }));
}, 120_000);
afterAll(() => lab?.cleanup());

describe('key rotation through the CLI', () => {
  it('agent rotate-key: the running agent keeps working and reconnects with the new key', async () => {
    const before = await keyOf(alpha.home);
    const linkedBefore = linkedCount(alphaAgent);
    const rotated = await alpha.run(['agent', 'rotate-key', '--json']);
    expect(rotated.exitCode, explain(rotated)).toBe(0);
    const answer = rotated.json<{ host: string; publicKey: string; previousUntil: string }>();
    expect(answer.host).toBe('alpha');
    const after = await keyOf(alpha.home);
    expect(after).not.toBe(before);
    expect(answer.publicKey).toBe(after);
    if (process.platform !== 'win32') expect((await stat(join(alpha.home, 'host-key.json'))).mode & 0o777).toBe(0o600);
    await expect(stat(join(alpha.home, 'host-key.next.json'))).rejects.toMatchObject({ code: 'ENOENT' });

    // The overlap ends: the relay closes the link the old key signed; the agent comes back with the new one.
    await lab.waitFor(
      'the agent to link again with the new key',
      () => linkedCount(alphaAgent) > linkedBefore && Date.now() > Date.parse(answer.previousUntil),
    );
    expect(alphaAgent.proc.logs()).toContain('"code":4007');
    await alphaAgent.connected({ logs: () => lab.logs() });
    // The CLI signs with the new key, and the agent's copies follow a new conversation.
    const opened = await alpha.run(['open', '--as', 'a1', '--topic', 'after the rotation', '--with', 'b1', '--body', 'signed with the new key']);
    expect(opened.exitCode, explain(opened)).toBe(0);
    const id = opened.stdout.trim();
    await lab.waitFor('the copy on alpha', async () =>
      (await readFile(join(alpha.home, 'conversations', `${id}.md`), 'utf8').catch(() => '')).includes('signed with the new key'),
    );
    const tail = await beta.run(['read', id, '--json']);
    expect(tail.exitCode, explain(tail)).toBe(0);
  });

  it('relay rotate-admin-key: a new admin key in the data dir, and relay commands use it', async () => {
    const relay = lab.relay as NonNullable<typeof lab.relay>;
    const keyPath = join(relay.dataDir, 'admin-key.json');
    const before = (JSON.parse(await readFile(keyPath, 'utf8')) as { x: string }).x;
    const rotated = await lab.run(relay.home, ['relay', 'rotate-admin-key', '--json']);
    expect(rotated.exitCode, explain(rotated)).toBe(0);
    const after = (JSON.parse(await readFile(keyPath, 'utf8')) as { x: string }).x;
    expect(after).not.toBe(before);
    expect(rotated.json<{ publicKey: string }>().publicKey).toBe(after);
    if (process.platform !== 'win32') expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    await lab.waitFor('the overlap to end', () => Date.now() > Date.parse(rotated.json<{ previousUntil: string }>().previousUntil) + 100);
    const invite = await lab.run(relay.home, ['relay', 'invite', '--host', 'gamma', '--url', relay.url, '--json']);
    expect(invite.exitCode, explain(invite)).toBe(0);
    const hosts = await lab.run(relay.home, ['relay', 'hosts', '--json']);
    expect(hosts.exitCode, explain(hosts)).toBe(0);
  });
});
