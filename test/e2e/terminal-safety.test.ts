// Terminal safety through the real path: relay → agent → tmux → a coding agent's pane. Topics,
// session names and bodies full of escape sequences, bracketed-paste end markers, C1 controls,
// bidi overrides and leading `!` or `/`, and a copies directory whose name holds the same. Names
// and topics with controls are refused at the door; what gets in may reach the pane only as the
// fixed wake-up lines: the bytes the pane receives are exactly `ESC[200~ line ESC[201~ CR` per
// wake-up (tmux adds the brackets because the program asked for bracketed paste), and the lines
// hold no control, bidi or invisible character and never start with `!`, `/`, `@`, `#` or `$`.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { homeLayout, readAgentConfig, readHostKey, writeAgentConfig } from '@crosstalk/agent';
import { createRelayClient, type RelayClient } from '@crosstalk/client';
import { tokenSigner } from '@crosstalk/core/token';
import { describe, expect, it } from 'vitest';
import { labPerTest, scriptedSession } from '../harness/index.js';

const NASTY = [
  '\x1b[31mred\x1b[0m',
  'end of paste\x1b[201~; rm -rf ~',
  'osc \x1b]0;owned\x07 title',
  'csi-c1 \u009b2J clear',
  'nel\u0085next line',
  'bidi \u202eevil\u202c',
  'zero\u200bwidth\u2060joiner',
  'line\nbreak\r\nand\rreturn',
  'bell\x07 del\x7f backspace\x08',
  'cursor \x1b[1A\x1b[2K up',
];
const LEADING = ['!rm -rf /', '/clear', '@everyone', '#tag', '$(id)', '  !spaced bang', '/\x1b[31m slash'];
const NAMES = ['\x1b[31mred', 'a\x1b[201~', 'codex\u202e', 'x\u009bb', '!bang', '/slash', 'A', 'con'];

/** Every line, split off the exact bytes a wake-up may produce; null when anything else arrived. */
function wakeLines(bytes: Buffer): string[] | null {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return null;
  const lines: string[] = [];
  const one = /\x1b\[200~([^\x1b]*)\x1b\[201~\r/y;
  let at = 0;
  while (at < text.length) {
    one.lastIndex = at;
    const m = one.exec(text);
    if (!m) return null;
    lines.push(m[1] as string);
    at = one.lastIndex;
  }
  return lines;
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const TEMPLATES = [
  /^crosstalk: (?:reminder: )?your turn in [a-z0-9-]+ \(turn \d+\/\d+\)\. New turns: crosstalk read [a-z0-9-]+ --new --as [a-z0-9-]+; whole conversation: .+\. Answer with: crosstalk reply [a-z0-9-]+ --as [a-z0-9-]+ --expect-turn \d+$/,
  /^crosstalk: (?:reminder: )?[a-z0-9-]+ reached its limit of \d+ turns; you moderate it\. New turns: crosstalk read [a-z0-9-]+ --new --as [a-z0-9-]+; whole conversation: .+\. Extend: crosstalk moderate [a-z0-9-]+ --extend 10 --as [a-z0-9-]+; or close: crosstalk close [a-z0-9-]+ --as [a-z0-9-]+ --resolution <text>$/,
  /^crosstalk: [a-z0-9-]+ has not answered in [a-z0-9-]+; you moderate it\. New turns: crosstalk read [a-z0-9-]+ --new --as [a-z0-9-]+; whole conversation: .+\. Hand the floor on: crosstalk moderate [a-z0-9-]+ --next <session> --as [a-z0-9-]+$/,
];

describe('terminal safety', () => {
  const labs = labPerTest();

  it('lets nothing but the fixed wake-up lines reach the pane', { timeout: 170_000 }, async () => {
    const lab = await labs.create('termsafe');
    const relay = await lab.startRelay();
    const target = await lab.host('target');
    const poster = await lab.host('poster');

    // A copies directory whose name holds controls is refused outright (a wake-up line could not
    // name it faithfully); one whose name is merely shell-hostile is used, and typed as it is.
    // The agent tells the moderator quickly about a session that did not answer.
    const layout = homeLayout(target.home);
    const config = await readAgentConfig(layout.config);
    const controlDir = join(target.home, `copies \x1b[31mred\x1b[0m \x1b[201~ \u009b2J \u202eevil\u200b\n!rm`);
    await expect(writeAgentConfig(layout.config, { ...config, conversationsDir: controlDir })).rejects.toThrow(/conversationsDir/);
    const copiesDir = join(target.home, `!copies $(id) \`x\` 'q' "dq" ; & | > é`);
    await writeAgentConfig(layout.config, { ...config, conversationsDir: copiesDir, wake: { ...config.wake, nudgeAfterSeconds: 5, maxNudges: 0 } });
    await lab.startAgent(target);

    // Without a play or a reply the sessions only record what reaches their panes.
    const a = await scriptedSession(lab, target, { name: 'target-a' });
    const m = await scriptedSession(lab, target, { name: 'target-m' });
    const client = async (host: typeof target): Promise<RelayClient> => {
      return createRelayClient({ relayUrl: relay.url, signer: await tokenSigner(await readHostKey(homeLayout(host.home).hostKey), host.name, relay.relayId) });
    };
    const asPoster = await client(poster);
    const asTarget = await client(target);
    await asPoster.registerSession({ name: 'poster-p', kind: 'other', wake: { type: 'none' } });

    // Hostile session names never get in: not through the CLI, not through the API.
    for (const name of NAMES) {
      const joined = await target.run(['join', '--as', name, '--no-wake', '--json']);
      expect(joined.exitCode, `join --as ${JSON.stringify(name)}: ${joined.stderr}`).toBe(2);
      const direct = await asTarget.registerSession({ name, kind: 'other', wake: { type: 'none' } }).then(
        () => 'accepted',
        (e: { code?: string }) => e.code,
      );
      expect(direct, JSON.stringify(name)).toBe('INVALID_NAME');
    }

    // Topics with controls are refused; bodies may hold anything but NUL and go in verbatim.
    const opened: string[] = [];
    const open = (topic: string, body: string, extra: Record<string, unknown> = {}) =>
      asPoster.openConversation({
        as: 'poster-p',
        topic,
        with: ['target-a'],
        moderator: 'target-m',
        body,
        idempotencyKey: randomBytes(8).toString('hex'),
        ...extra,
      });
    let refusedTopics = 0;
    for (const nasty of NASTY) {
      const r = await open(`topic ${nasty}`, 'x').then(
        () => 'accepted',
        (e: { code?: string }) => e.code,
      );
      expect(r, JSON.stringify(nasty)).toBe('INVALID_TEXT');
      refusedTopics++;
      const cli = await poster.run(['open', '--topic', `topic ${nasty}`, '--with', 'target-a', '--body', 'x', '--as', 'poster-p', '--json']);
      expect(cli.exitCode, cli.stderr).toBe(2);
    }
    for (const [i, topic] of [...LEADING.filter((t) => !/[\x00-\x1f]/.test(t)), 'plain topic', 'another plain topic'].entries()) {
      const body = `${NASTY[i % NASTY.length]}\n${LEADING[i % LEADING.length]}\nbody-marker-${i}\n${NASTY.join(' ')}`;
      opened.push((await open(topic, body)).conversation.id);
    }
    // One that target-a answers (from outside its pane) into its limit, so the moderator gets the limit line.
    const limited = (await open('limit', 'one turn only', { maxTurns: 2 })).conversation.id;
    await lab.waitFor(`target-a's wake-up for ${limited}`, async () => (await a.lines()).some((l) => l.includes(limited)));
    await asTarget.postTurn(limited, { as: 'target-a', expectedTurn: 2, idempotencyKey: randomBytes(8).toString('hex'), body: `last word ${NASTY.join('')}` });

    // target-a is woken in each conversation and answers none of the others; 5 s later the
    // moderator's pane is told about each: one turn line per conversation for target-a, one
    // "unanswered" line per silent conversation and the limit line for target-m.
    const admin = await relay.adminClient();
    const all = [...opened, limited];
    const expected = { a: all.length, m: opened.length + 1 };
    await lab.waitFor(
      'every wake-up, each with its receipt',
      async () => {
        let delivered = 0;
        for (const id of all) delivered += (await admin.listReceipts(id)).receipts.filter((r) => r.status === 'delivered').length;
        return delivered === expected.a + expected.m && (await a.lines()).length === expected.a && (await m.lines()).length === expected.m;
      },
      { timeoutMs: 120_000 },
    );

    const report: string[] = [];
    for (const pane of [a, m]) {
      const bytes = await pane.bytes();
      const lines = wakeLines(bytes);
      expect(lines, `${pane.name} received bytes beyond the wake-up lines: ${JSON.stringify(bytes.toString('utf8'))}`).not.toBeNull();
      for (const line of lines ?? []) {
        expect(UNSAFE.test(line), `unsafe character in ${JSON.stringify(line)}`).toBe(false);
        expect(/^[!/@#$]/.test(line), line).toBe(false);
        expect(
          TEMPLATES.some((t) => t.test(line)),
          `not a wake-up template: ${JSON.stringify(line)}`,
        ).toBe(true);
        expect(line.includes('body-marker'), `a body reached the pane: ${line}`).toBe(false);
      }
      expect(await pane.lines()).toEqual(lines);
      if (pane === a) process.stdout.write(`sample wake-up line: ${JSON.stringify(lines?.[0])}\n`);
      report.push(`${pane.name}: lines=${lines?.length} bytes=${bytes.length}`);
    }

    // The copies are plain files: the bodies are in them verbatim, byte-identical to the relay's rendering.
    for (const id of all) {
      const copy = join(copiesDir, `${id}.md`);
      await lab.waitFor(`the copy of ${id}`, async () => (await readFile(copy, 'utf8').catch(() => '')) === (await admin.getMarkdown(id)));
    }
    process.stdout.write(
      `terminal-safety: names_refused=${NAMES.length} topics_refused=${refusedTopics} conversations=${all.length} ${report.join(' ')} ` +
        `only_wake_lines=yes copies_dir=${JSON.stringify(copiesDir.slice(target.home.length))}\n`,
    );
  });
});
