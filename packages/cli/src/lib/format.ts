// Plain-text views for humans: tables and turns in the style of the markdown copy. No colour,
// ever. Remote text goes in as it is: output.ts makes everything printed harmless for a terminal.
import { renderClosed, renderDecision, renderNote, renderTurn, type Conversation, type Note, type Unseen } from '@crosstalk/core';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** One turn, a note, the decision, the close: exactly as the markdown copy shows them (core renders both). */
export const formatTurn = renderTurn;
export const formatNote = renderNote;
export const formatDecision = renderDecision;
export const formatClosed = renderClosed;

/** Turns after `since` with the notes made among them, in the order the copy shows them. */
export function formatSince(c: Conversation, since: number): string {
  let out = '';
  const notes = c.notes.filter((n) => n.afterTurn >= since);
  let i = 0;
  const notesUpTo = (turns: number) => {
    while (i < notes.length && (notes[i] as Note).afterTurn <= turns) out += formatNote(notes[i++] as Note);
  };
  notesUpTo(since);
  for (const t of c.turns.filter((t) => t.n > since)) {
    out += formatTurn(c, t);
    notesUpTo(t.n);
  }
  notesUpTo(Infinity);
  return out;
}

/** `a, b` or `-` for nobody. */
export function names(list: readonly string[]): string {
  return list.length > 0 ? list.join(', ') : '-';
}

/**
 * `crosstalk read --new`: where the conversation stands in a few lines, then only what the session
 * has not seen (`unseenBy`), in the style of the copy.
 */
export function formatUnseen(c: Conversation, unseen: Unseen): string {
  const count = unseen.turns.length;
  const lines = [`${c.id}: ${c.topic}`, `status: ${c.status}, turn ${c.turns.length}/${c.maxTurns}; next: ${names(c.next)}; moderator: ${c.moderator}`];
  if (c.proposal && !c.decision)
    lines.push(`proposal (turn ${c.proposal.turn} by ${c.proposal.by}, agreed by ${names(c.proposal.agreed)}): ${c.proposal.text.replace(/\r?\n/g, ' ')}`);
  if (c.decision) lines.push(`decision: ${c.decision.text.replace(/\r?\n/g, ' ')}`);
  if (unseen.since === 0) lines.push(`you have not spoken yet: all ${count} turn${count === 1 ? '' : 's'} follow`);
  else if (count === 0) lines.push(`nothing new since your turn ${unseen.since}`);
  else lines.push(`new since your turn ${unseen.since}: ${count} turn${count === 1 ? '' : 's'}`);
  return [...lines, formatSince(c, unseen.since).replace(/^\n/, '')].join('\n').trimEnd();
}

/** How long ago an ISO time was, in one short unit: `12s`, `3m`, `2h`, `4d`. */
export function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A session's state for people: `working for 3m`; `?` when its host's agent is not there to say. */
export function stateWords(s: { state?: string | undefined; stateSince?: string | undefined }, now: number): string {
  if (!s.state) return '?';
  return s.stateSince && s.state !== 'unknown' ? `${s.state} for ${age(s.stateSince, now)}` : s.state;
}
