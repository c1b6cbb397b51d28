// Three machines and a relay: each host with its own home, agent process, tmux server and (where
// the machine allows) network namespace. Scripted coding agents in tmux panes are woken by their
// agents, read their markdown copy and answer with the real CLI. Three conversations run at once:
// one hits its turn limit (the moderator extends it, then closes it at the limit), one converges
// on a proposal, one sees participants added and removed, the floor handed on, and a close. At
// the end every host's copies are byte-identical to the relay's rendering, and every wake-up that
// reached a pane has a `delivered` receipt (and every such receipt a wake-up).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain, labPerTest, scriptedSession, type ScriptedSession } from '../harness/index.js';
import { OPENINGS, SESSIONS } from './plays.js';

const HOSTS = ['alpha', 'beta', 'gamma'];
const TURN_LINE = /^crosstalk: (?:reminder: )?your turn in ([a-z0-9-]+) \(turn (\d+)\/\d+\)/;
const LIMIT_LINE = /^crosstalk: (?:reminder: )?([a-z0-9-]+) reached its limit/;

describe('three hosts hold moderated conversations', () => {
  const labs = labPerTest();

  it('wakes each session in its pane, and every copy ends byte-identical to the relay', async () => {
    const lab = await labs.create('multihost', { machines: HOSTS });
    process.stdout.write(`multi-host network: ${lab.network.mode}${lab.network.note ? ` (${lab.network.note})` : ''}\n`);
    const relay = await lab.startRelay();
    for (const name of HOSTS) await lab.startAgent(await lab.host(name));

    const panes: ScriptedSession[] = [];
    for (const spec of SESSIONS) {
      const host = lab.hosts.get(spec.host)!;
      const pane = await scriptedSession(lab, host, { name: spec.session, kind: spec.kind, play: spec.play });
      const joined = await pane.joined();
      expect(joined.exitCode, JSON.stringify(joined)).toBe(0);
      expect(JSON.parse(joined.stdout).wake).toMatchObject({ type: 'tmux', pane: pane.pane, agentCommand: 'scripted-agent' });
      panes.push(pane);
    }

    // The openings, each by its session's host, with the real CLI.
    const ids = new Map<string, string>();
    for (const o of OPENINGS) {
      const host = lab.hosts.get(SESSIONS.find((s) => s.session === o.as)!.host)!;
      const args = ['open', '--topic', o.topic, '--with', o.with.join(','), '--body', o.body, '--as', o.as, '--json'];
      if ('maxTurns' in o) args.push('--max-turns', String(o.maxTurns));
      const r = await host.run(args);
      expect(r.exitCode, explain(r)).toBe(0);
      ids.set(o.topic, r.json().id);
    }

    const admin = await relay.adminClient();
    for (const o of OPENINGS) {
      const id = ids.get(o.topic)!;
      await lab.waitFor(`${id} to end ${o.ends}`, async () => (await admin.getConversation(id)).conversation.status === o.ends, { timeoutMs: 120_000 });
    }

    // Every host's copy of every conversation, byte for byte the relay's rendering.
    const rendered = new Map<string, string>();
    for (const id of ids.values()) rendered.set(id, await admin.getMarkdown(id));
    for (const host of lab.hosts.values()) {
      await lab.waitFor(`${host.name}'s copies to match the relay`, async () => {
        for (const [id, text] of rendered) if ((await readFile(join(host.home, 'conversations', `${id}.md`), 'utf8').catch(() => '')) !== text) return false;
        return true;
      });
    }

    // What the sessions did: every command succeeded, and every copy they read was current.
    const wakes: Array<{ session: string; conversation: string; turn: number }> = [];
    for (const pane of panes) {
      // The last command a session ran may still be finishing when the relay already shows its effect.
      await lab.waitFor(`${pane.name} to finish acting on its wake-ups`, async () => (await pane.actions()).length === (await pane.lines()).length);
      const actions = await pane.actions();
      for (const a of actions) {
        for (const ran of a.ran) expect(ran.exitCode, `${pane.name}: ${JSON.stringify(ran)}`).toBe(0);
        if (a.kind === 'turn') expect(a.copy.turns, `${pane.name} read a stale copy of ${a.id} for turn ${a.turn}`).toBe(a.turn - 1);
        if (a.kind === 'limit') expect(a.copy.status, `${pane.name} woken at the limit of ${a.id}`).toBe('at-limit');
      }
      const lines = await pane.lines();
      expect(lines.length, `${pane.name} took ${lines.length} lines and acted ${actions.length} times`).toBe(actions.length);
      for (const [i, line] of lines.entries()) {
        const turn = TURN_LINE.exec(line);
        const limit = LIMIT_LINE.exec(line);
        if (turn) wakes.push({ session: pane.name, conversation: turn[1]!, turn: Number(turn[2]) });
        else if (limit) wakes.push({ session: pane.name, conversation: limit[1]!, turn: actions[i]!.turn });
        else throw new Error(`${pane.name} got a line that is no wake-up: ${JSON.stringify(line)}`);
      }
    }

    // A receipt for every wake-up, and a wake-up for every delivered receipt.
    const delivered: Array<{ session: string; conversation: string; turn: number }> = [];
    let receipts = 0;
    for (const id of ids.values()) {
      for (const r of (await admin.listReceipts(id)).receipts) {
        receipts++;
        if (r.status === 'delivered') delivered.push({ session: r.session, conversation: r.conversation, turn: r.turn });
      }
    }
    const key = (x: { session: string; conversation: string; turn: number }) => `${x.conversation}#${x.turn}@${x.session}`;
    expect(delivered.map(key).sort()).toEqual(wakes.map(key).sort());

    const final = await Promise.all([...ids.values()].map(async (id) => (await admin.getConversation(id)).conversation));
    process.stdout.write(
      `multi-host: network=${lab.network.mode} hosts=${HOSTS.length} sessions=${panes.length} conversations=${final.map((c) => `${c.id}:${c.status}:${c.turns.length}turns`).join(',')} ` +
        `wakes=${wakes.length} receipts=${receipts} delivered=${delivered.length} copies_identical=${lab.hosts.size * rendered.size}/${lab.hosts.size * rendered.size}\n`,
    );
    const [limited, converged, moderated] = final;
    expect(limited?.maxTurns).toBe(6);
    expect(limited?.notes.map((n) => n.text)).toEqual(['Extended the turn limit to 6.']);
    expect(converged?.decision?.text).toBe('Ship on Friday after the freeze.');
    expect(moderated?.participants).toEqual(['claude-gamma', 'codex-beta']);
    expect(moderated?.notes.length).toBe(3);
    expect(rendered.get(converged!.id)).toContain('## Decision');
  });
});
