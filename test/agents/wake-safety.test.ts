// A wake-up never answers a dialog and never submits text it did not type: the real Claude Code
// and Codex, each on a permission or approval dialog and on a person's unsent draft, with a turn
// arriving meanwhile. The pending command must not run, the draft must not be submitted, the
// receipt must say why, and once the person has dealt with it the turn goes through.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type Host } from '../harness/index.js';
import { skipRealAgents } from './support/prereqs.js';
import { Stage, type RealKind, type RealSession, type SessionOptions } from './support/stage.js';

const skip = skipRealAgents();

describe.skipIf(skip)('a wake-up never answers a dialog and never submits a draft', () => {
  let stage: Stage;
  let host: Host;
  beforeAll(async () => {
    stage = await Stage.create('safety');
    host = await stage.host('alpha');
    const peer = await host.run(['join', '--as', 'peer', '--no-wake', '--json']);
    expect(peer.exitCode, explain(peer)).toBe(0);
  });
  afterAll(() => stage?.cleanup());

  /** The turn the session was woken for is answered by it, with the mock's body. */
  async function answered(session: RealSession, id: string): Promise<void> {
    const c = await stage.waitFor(`${session.name} to answer in ${id}`, async () => {
      const conv = await stage.conversation(host, id);
      return conv.turns.length >= 2 && conv;
    });
    expect(c.turns[1]).toMatchObject({ n: 2, author: session.name });
    // A here-document ends its body with a newline; --body does not.
    expect(c.turns[1]?.body.trimEnd()).toBe(`answer from ${session.name} to turn 2`);
    expect((await stage.receipt(host, id, session.name))?.status).toBe('delivered');
  }

  async function heldWith(id: string, session: RealSession, reason: string): Promise<void> {
    const r = await stage.waitFor(`a ${reason} receipt for ${session.name}`, async () => {
      const receipt = await stage.receipt(host, id, session.name);
      return receipt?.reason?.startsWith(reason) ? receipt : undefined;
    });
    expect(r.status).toBe('deferred');
  }

  const cases: Array<{ kind: RealKind; options: SessionOptions; refuse: string[] }> = [
    // Claude Code in manual mode asks before every command; "4" picks "No" there.
    { kind: 'claude-code', options: { permissions: 'manual', skill: true }, refuse: ['4'] },
    // Codex's defaults never ask for a plain command; a prompt rule makes `touch` ask. Esc declines.
    { kind: 'codex', options: { permissions: 'ask', askFor: [['touch']], skill: true }, refuse: ['Escape'] },
  ];

  for (const { kind, options, refuse } of cases) {
    it(`${kind}: a pending permission prompt is not answered by the wake-up; after the person answers, the turn goes through`, async () => {
      const session = await stage.start(kind, host, `${kind === 'codex' ? 'cx' : 'cc'}-dialog`, options);
      const marker = join(stage.lab.dir, `${session.name}-pending-ran`);
      await session.prompt(`RUN: touch ${marker}`);
      await stage.waitFor(`${kind}'s permission dialog`, async () => (await session.verdict()).state === 'waiting-input');

      const id = await stage.open(host, 'peer', [session.name]);
      await heldWith(id, session, 'waiting-input');
      expect(await Stage.exists(marker), 'the pending command ran').toBe(false);
      expect((await session.verdict()).state).toBe('waiting-input');

      await session.keys(...refuse);
      await answered(session, id);
      expect(await Stage.exists(marker), 'the refused command ran').toBe(false);
      expect(stage.mock.failures).toEqual([]);
    });

    it(`${kind}: a person's unsent draft is not submitted; once it is cleared, the turn goes through`, async () => {
      const session = await stage.start(kind, host, `${kind === 'codex' ? 'cx' : 'cc'}-draft`, options);
      const draft = 'please refactor the parser';
      await session.type(draft);
      await stage.waitFor('the draft on screen', async () => (await session.verdict()).state === 'draft');

      const id = await stage.open(host, 'peer', [session.name]);
      await heldWith(id, session, 'draft');
      const view = await session.view();
      expect(view.lines.join('\n')).toContain(draft);
      expect(view.lines.join('\n')).not.toContain(`your turn in ${id}`);
      expect(stage.mock.prompts().some((p) => p.includes(draft))).toBe(false);

      await session.keys('C-u');
      await answered(session, id);
      expect(stage.mock.prompts().some((p) => p.includes(draft))).toBe(false);
      expect(stage.mock.failures).toEqual([]);
    });
  }
});
