// A real Claude Code and a real Codex, on two hosts, hold a conversation through crosstalk: woken
// by the line their agents type, answering with the reply command it names, ten turns, until the
// limit hands the floor to the moderator, who closes it. First with both agents on their own
// default permission and sandbox settings after `crosstalk skill install` (nothing bypassed),
// then with their bypass flags. And what Codex's sandbox does to crosstalk without the install.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../harness/index.js';
import { skipRealAgents } from './support/prereqs.js';
import { Stage } from './support/stage.js';

const skip = skipRealAgents();
const TURNS = 10;

describe.skipIf(skip)('a real Claude Code and a real Codex talk through crosstalk', () => {
  let stage: Stage;
  let linux: Host;
  let mac: Host;
  beforeAll(async () => {
    stage = await Stage.create('conversation');
    [linux, mac] = [await stage.host('linux-box'), await stage.host('mac-box')];
  });
  afterAll(() => stage?.cleanup());

  for (const mode of ['defaults', 'bypass'] as const) {
    it(`${TURNS} turns, then the moderator closes it (${mode === 'defaults' ? 'default permissions and sandbox, after skill install' : 'bypass flags'})`, async () => {
      const claude = await stage.start('claude-code', linux, `claude-${mode}`, {
        permissions: mode === 'bypass' ? 'bypass' : 'unset',
        skill: mode === 'defaults',
      });
      const codex = await stage.start('codex', mac, `codex-${mode}`, { permissions: mode === 'bypass' ? 'bypass' : 'default', skill: mode === 'defaults' });
      const before = stage.mock.exchanges.length;

      await claude.prompt(
        `RUN: crosstalk open --as ${claude.name} --topic 'ten turns ${mode}' --with ${codex.name} --max-turns ${TURNS} --body 'Which response shape should GET /users use?'`,
      );
      const id = await stage.waitFor('the conversation to open', async () => {
        const r = await linux.run(['list', '--json']);
        const found =
          r.exitCode === 0
            ? r.json<{ conversations: Array<{ id: string; topic: string }> }>().conversations.find((c) => c.topic === `ten turns ${mode}`)
            : undefined;
        return found?.id;
      });
      const done = await stage.waitFor(
        `${TURNS} turns and the close`,
        async () => {
          const c = await stage.conversation(linux, id);
          return c.status === 'closed' && c;
        },
        180_000,
      );

      expect(done.turns.map((t) => t.author)).toEqual(Array.from({ length: TURNS }, (_, i) => (i % 2 === 0 ? claude.name : codex.name)));
      for (const t of done.turns.slice(1)) expect(t.body.trimEnd()).toBe(`answer from ${t.author} to turn ${t.n}`);
      for (const session of [claude.name, codex.name]) expect((await stage.receipt(linux, id, session))?.status).toBe('delivered');
      expect(stage.mock.failures).toEqual([]);
      // Every command either agent ran worked: no sandbox refusal, no permission prompt left waiting.
      const outputs = stage.mock.exchanges
        .slice(before)
        .filter((e) => e.asked.kind === 'tool-result')
        .map((e) => (e.asked as { output: string }).output);
      expect(outputs.filter((o) => /EPERM|not allowed|RELAY_UNREACHABLE|error/i.test(o))).toEqual([]);
    });
  }

  it('Codex without the install: its sandbox blocks the relay, and crosstalk says so and what to install', async () => {
    const codex = await stage.start('codex', mac, 'codex-bare', { permissions: 'default' });
    const before = stage.mock.exchanges.length;
    await codex.prompt('RUN: crosstalk list');
    const output = await stage.waitFor('the command output', () =>
      stage.mock.exchanges
        .slice(before)
        .map((e) => (e.asked.kind === 'tool-result' ? e.asked.output : ''))
        .find((o) => o !== ''),
    );
    expect(output).toContain('the connection was not allowed (EPERM)');
    expect(output).toContain('crosstalk skill install');
    expect(output).not.toContain('crosstalk up');
  });
});
