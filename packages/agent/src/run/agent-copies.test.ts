// Agents as real processes against a real relay: copies follow the log on every host, byte for
// byte, through restarts and crashes of either side.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@crosstalk/core/test-support';
import { key, Lab, readOr, type Home } from '../__fixtures__/lab.js';
import { copyPath } from '../copies/copies.js';
import { readAgentStatus } from './status.js';

let lab: Lab;
beforeEach(async () => {
  lab = await Lab.start();
});
afterEach(async () => {
  await lab.cleanup();
});

const copyOf = (home: Home, id: string) => readOr(copyPath(home.config.conversationsDir, id));

/** Waits until the home's copy equals the relay's rendering. */
async function copyMatches(home: Home, id: string): Promise<string> {
  return waitFor(
    `${home.name}'s copy of ${id} to match the relay`,
    async () => {
      const relay = await home.client.getMarkdown(id);
      return (await copyOf(home, id)) === relay && relay;
    },
    { logs: () => lab.logs() },
  );
}

async function cursorOf(home: Home): Promise<number> {
  return JSON.parse(await readOr(join(home.layout.stateDir, 'cursor.json'), '{"seq":0}')).seq as number;
}

function turnCounts(copy: string, turns: number): number[] {
  return Array.from({ length: turns }, (_, i) => copy.split(`\nTurn ${i + 1}/`).length - 1);
}

describe('copies', () => {
  it('are byte-identical on two hosts and at the relay', async () => {
    const linux = await lab.home('linux-box');
    const windows = await lab.home('win-laptop');
    await linux.client.registerSession({ name: 'codex-linux', kind: 'codex', wake: { type: 'none' } });
    await windows.client.registerSession({ name: 'claude-win', kind: 'claude-code', wake: { type: 'none' } });
    const a = lab.runMain(linux);
    const b = lab.runMain(windows);

    const opened = await linux.client.openConversation({
      as: 'codex-linux',
      topic: 'Response shape for /users',
      with: ['claude-win'],
      body: 'Should `/users` return `{items, next}`?\n\n---\ntopic: not a header\n---\n',
      idempotencyKey: key(),
    });
    const id = opened.conversation.id;
    await windows.client.postTurn(id, {
      as: 'claude-win',
      expectedTurn: 2,
      idempotencyKey: key(),
      body: 'Yes, with `next` as a cursor string.',
      propose: '{items, next}',
    });
    await linux.client.postTurn(id, { as: 'codex-linux', expectedTurn: 3, idempotencyKey: key(), body: 'Agreed.', agree: true });

    const relayCopy = await copyMatches(linux, id);
    expect(await copyMatches(windows, id)).toBe(relayCopy);
    expect(relayCopy).toMatch(/status: "converged"/);
    expect(turnCounts(relayCopy, 3)).toEqual([1, 1, 1]);

    // The status file tells that each agent is connected and caught up.
    const status = await waitFor(
      'status caught up',
      async () => {
        const s = await readAgentStatus(linux.layout);
        return s.running && s.status?.connected && s.status.lag === 0 && s.status.cursor === (await linux.client.health()).head && s;
      },
      { logs: () => lab.logs() },
    );
    expect(status.status).toMatchObject({ host: 'linux-box', relayId: lab.relay.relayId, epoch: lab.relay.epoch, state: 'connected', lastError: null });
    expect(status.status?.sessions).toEqual([
      {
        name: 'codex-linux',
        kind: 'codex',
        wake: 'none',
        online: null,
        lastReceipt: null,
        state: 'unknown',
        stateSince: expect.any(String),
        lastSignal: null,
        pending: 0,
        failed: [],
      },
    ]);

    await a.stop();
    await b.stop();
    expect((await a.exited).exitCode).toBe(0);
    const stopped = await readAgentStatus(linux.layout);
    expect(stopped).toMatchObject({ running: false, status: { state: 'stopped', connected: false } });
    expect(await cursorOf(linux)).toBe((await linux.client.health()).head);
  });

  it('survives a kill -9 between writing a copy and persisting its cursor', async () => {
    const home = await lab.home('crashy');
    const peer = await lab.home('peer');
    await home.client.registerSession({ name: 'local', kind: 'other', wake: { type: 'none' } });
    await peer.client.registerSession({ name: 'remote', kind: 'other', wake: { type: 'none' } });
    const arm = join(home.layout.home, 'crash-arm');
    const first = lab.runEntry(home, { crashArm: arm });

    const opened = await peer.client.openConversation({
      as: 'remote',
      topic: 'crash me',
      with: ['local'],
      body: 'turn one',
      maxTurns: 50,
      idempotencyKey: key(),
    });
    const id = opened.conversation.id;
    await copyMatches(home, id);
    await waitFor('the cursor to cover turn 1', async () => (await cursorOf(home)) >= opened.seq, { logs: () => lab.logs() });

    await writeFile(arm, '');
    const second = await home.client.postTurn(id, { as: 'local', expectedTurn: 2, idempotencyKey: key(), body: 'turn two' });
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    const fired = JSON.parse(await readFile(`${arm}.fired`, 'utf8')) as { conversation: string; seq: number };
    expect(fired).toEqual({ conversation: id, seq: second.seq });
    // The copy holds turn 2; the cursor does not cover it yet.
    expect(turnCounts(await copyOf(home, id), 2)).toEqual([1, 1]);
    expect(await cursorOf(home)).toBeLessThan(second.seq);

    // More happens while the agent is down.
    for (let n = 3; n <= 6; n++) {
      const c = n % 2 === 0 ? home : peer;
      await c.client.postTurn(id, { as: n % 2 === 0 ? 'local' : 'remote', expectedTurn: n, idempotencyKey: key(), body: `turn ${n}` });
    }
    lab.runEntry(home);
    const copy = await copyMatches(home, id);
    expect(turnCounts(copy, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    const head = (await home.client.health()).head;
    await waitFor('the cursor to catch up', async () => (await cursorOf(home)) === head, { logs: () => lab.logs() });
    const state = JSON.parse(await readFile(join(home.layout.stateDir, 'conversations', `${id}.json`), 'utf8'));
    expect(state.turns.map((t: { n: number }) => t.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('follows the relay through a restart, and rebuilds everything when its log is replaced', async () => {
    const home = await lab.home('steady');
    await home.client.registerSession({ name: 'one', kind: 'other', wake: { type: 'none' } });
    await home.client.registerSession({ name: 'two', kind: 'other', wake: { type: 'none' } });
    lab.runEntry(home);
    const opened = await home.client.openConversation({ as: 'one', topic: 'restarts', with: ['two'], body: 'before', idempotencyKey: key() });
    const id = opened.conversation.id;
    await copyMatches(home, id);

    await lab.restartRelay();
    await home.client.postTurn(id, { as: 'two', expectedTurn: 2, idempotencyKey: key(), body: 'after the restart' });
    expect(turnCounts(await copyMatches(home, id), 2)).toEqual([1, 1]);

    // A new log (events.log gone): new epoch, this host unknown until enrolled again with its key.
    const oldEpoch = lab.relay.epoch;
    await lab.restartRelay(() => rm(join(lab.dataDir, 'events.log')));
    expect(lab.relay.epoch).not.toBe(oldEpoch);
    await home.client.enroll({ invite: await lab.invite('steady'), host: 'steady', publicKey: { kty: 'OKP', crv: 'Ed25519', x: home.key.x } });
    await home.client.registerSession({ name: 'one', kind: 'other', wake: { type: 'none' } });
    await home.client.registerSession({ name: 'two', kind: 'other', wake: { type: 'none' } });
    const fresh = await home.client.openConversation({ as: 'two', topic: 'new log', with: ['one'], body: 'in the new epoch', idempotencyKey: key() });
    await copyMatches(home, fresh.conversation.id);
    const cursor = JSON.parse(await readFile(join(home.layout.stateDir, 'cursor.json'), 'utf8'));
    await waitFor(
      'the cursor in the new epoch',
      async () => {
        const c = JSON.parse(await readOr(join(home.layout.stateDir, 'cursor.json'), '{}'));
        return c.epoch === lab.relay.epoch && c.seq === (await home.client.health()).head;
      },
      { logs: () => lab.logs() },
    );
    expect(cursor.relayId).toBe(lab.relay.relayId);
    // The old conversation is not part of the new log's state.
    await expect(readFile(join(home.layout.stateDir, 'conversations', `${id}.json`))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
