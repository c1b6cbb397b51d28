// `crosstalk status <id>`: who is next, what each participant is doing, the latest wake-up receipt
// per session, last activity.
import { checkName, type Conversation, type ReceiptRecord } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { names, stateWords, table } from '../lib/format.js';
import { connectHost } from '../lib/home.js';
import { receiptWords } from '../lib/receipt-words.js';

/** The newest thing that happened: a turn, a moderation note, or the close. */
function lastActivity(c: Conversation): { at: string; by: string; what: string } {
  const candidates: Array<{ at: string; by: string; what: string }> = [{ at: c.openedAt, by: c.openedBy, what: 'opened' }];
  const turn = c.turns[c.turns.length - 1];
  if (turn) candidates.push({ at: turn.at, by: turn.author, what: `turn ${turn.n}` });
  const note = c.notes[c.notes.length - 1];
  if (note) candidates.push({ at: note.at, by: note.by, what: 'moderation' });
  if (c.resolution) candidates.push({ at: c.resolution.at, by: c.resolution.by, what: 'closed' });
  return candidates.reduce((a, b) => (b.at >= a.at ? b : a));
}

/** The newest receipt per session (the relay lists them oldest first). */
function latestPerSession(receipts: ReceiptRecord[]): ReceiptRecord[] {
  const latest = new Map<string, ReceiptRecord>();
  for (const r of receipts) {
    const seen = latest.get(r.session);
    if (!seen || r.seq > seen.seq) latest.set(r.session, r);
  }
  return [...latest.values()].sort((a, b) => a.session.localeCompare(b.session));
}

const handler: CommandHandler = async (ctx, args) => {
  const id = checkName('conversation', args[0]);
  const { client } = await connectHost(ctx);
  const [{ conversation: c }, { receipts }, { sessions }] = await Promise.all([client.getConversation(id), client.listReceipts(id), client.listSessions()]);
  const byName = new Map(sessions.map((s) => [s.name, s]));
  const states = c.participants.map((name) => {
    const s = byName.get(name);
    return { session: name, state: s?.state ?? null, since: s?.stateSince ?? null };
  });
  const latest = latestPerSession(receipts);
  const activity = lastActivity(c);
  const data = {
    id: c.id,
    topic: c.topic,
    status: c.status,
    turns: c.turns.length,
    maxTurns: c.maxTurns,
    next: c.next,
    moderator: c.moderator,
    participants: c.participants,
    proposal: c.proposal,
    decision: c.decision,
    resolution: c.resolution,
    lastActivity: activity,
    states,
    receipts: latest.map((r) => ({
      session: r.session,
      host: r.host ?? null,
      turn: r.turn,
      status: r.status,
      reason: r.reason ?? null,
      words: receiptWords(r),
      attempt: r.attempt,
      at: r.at,
    })),
  };
  const lines = [
    `${c.id}: ${c.topic}`,
    `status:        ${c.status}, turn ${c.turns.length}/${c.maxTurns}`,
    `next:          ${names(c.next)}`,
    `moderator:     ${c.moderator}`,
    `participants:  ${c.participants.map((p) => `${p} (${stateWords(byName.get(p) ?? {}, Date.now())})`).join(', ')}`,
    `last activity: ${activity.what} by ${activity.by} at ${activity.at}`,
  ];
  if (c.proposal && !c.decision) lines.push(`proposal:      turn ${c.proposal.turn} by ${c.proposal.by}, agreed by ${names(c.proposal.agreed)}`);
  if (c.decision) lines.push(`decision:      ${c.decision.text.replace(/\r?\n/g, ' ')}`);
  if (c.resolution) lines.push(`resolution:    ${c.resolution.text.replace(/\r?\n/g, ' ')}`);
  lines.push('', 'wake-ups:');
  if (latest.length === 0) lines.push('  none reported yet');
  else
    lines.push(
      ...table(
        ['SESSION', 'TURN', 'RECEIPT', 'ATTEMPT', 'AT'],
        latest.map((r) => [r.session, String(r.turn), r.reason ? `${r.status} (${r.reason})` : r.status, String(r.attempt), r.at]),
      )
        .split('\n')
        .map((l) => `  ${l}`),
      ...latest.filter((r) => r.status !== 'delivered' || r.reason).map((r) => `  ${r.session}: ${receiptWords(r)}`),
    );
  return { data, text: lines.join('\n') };
};
export default handler;
