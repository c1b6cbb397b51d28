// The markdown copy (SPEC §5): one pure function of the conversation state, so every host and
// the relay produce byte-identical files. Header values are generated here and always quoted;
// bodies follow the header verbatim and can never reach into it.
import type { Conversation, Note, Turn } from './types.js';

// Everything YAML or a terminal could read as structure or control is escaped in header strings.
const HEADER_ESCAPE = /[\u0000-\u001f\u007f-\u009f"\\\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** A YAML double-quoted scalar that round-trips exactly and never spans lines. */
export function yamlString(value: string): string {
  return `"${value.replace(HEADER_ESCAPE, (ch) => {
    if (ch === '"') return '\\"';
    if (ch === '\\') return '\\\\';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

function yamlList(values: readonly string[]): string {
  return `[${values.map(yamlString).join(', ')}]`;
}

/** Relay timestamps are rendered to the second, in UTC. */
export function renderTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

function renderHeader(c: Conversation): string {
  const lines = [
    '---',
    `id: ${yamlString(c.id)}`,
    `topic: ${yamlString(c.topic)}`,
    `opened_by: ${yamlString(c.openedBy)}`,
    `participants: ${yamlList(c.participants)}`,
    `moderator: ${yamlString(c.moderator)}`,
    `status: ${yamlString(c.status)}`,
    `turns: ${c.turns.length}`,
    `max_turns: ${c.maxTurns}`,
    `next: ${yamlList(c.next)}`,
    `seq: ${c.seq}`,
  ];
  if (c.decision) lines.push(`decision: ${yamlString(c.decision.text)}`);
  if (c.resolution) lines.push(`resolution: ${yamlString(c.resolution.text)}`);
  lines.push('---', '');
  return lines.join('\n');
}

function withTrailingNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function renderTurn(c: Conversation, t: Turn): string {
  const title = t.n === 1 ? 'Opening' : 'Reply';
  let flags = '';
  if (t.proposes !== undefined) flags = ' · proposes a decision';
  else if (t.agrees !== undefined) flags = ` · agrees with the proposal of turn ${t.agrees}`;
  let out = `\n## ${title} — ${t.author} @ ${renderTime(t.at)}\nTurn ${t.n}/${c.maxTurns}${flags}\n\n${withTrailingNewline(t.body)}`;
  if (t.proposes !== undefined && t.proposes !== t.body) out += `\nPROPOSAL: ${t.proposes.replace(/\r?\n/g, ' ')}\n`;
  out += `\nNEXT: ${t.next.length > 0 ? t.next.join(', ') : '-'}\n`;
  return out;
}

function renderNote(n: Note): string {
  return `\n## Moderation — ${n.by} @ ${renderTime(n.at)}\n\n${n.text}\n`;
}

/** Renders the whole copy. Same state in, same bytes out, on every host. */
export function renderConversation(c: Conversation): string {
  let out = renderHeader(c);
  if (c.decision) {
    out += `\n## Decision — turn ${c.decision.turn}, agreed by ${c.decision.agreedBy.join(', ')} @ ${renderTime(c.decision.at)}\n\n${withTrailingNewline(c.decision.text)}`;
  }
  let noteIndex = 0;
  const notesUpTo = (turns: number) => {
    while (noteIndex < c.notes.length && (c.notes[noteIndex]?.afterTurn ?? Infinity) <= turns) {
      out += renderNote(c.notes[noteIndex] as Note);
      noteIndex++;
    }
  };
  notesUpTo(0);
  for (const t of c.turns) {
    out += renderTurn(c, t);
    notesUpTo(t.n);
  }
  notesUpTo(Infinity);
  if (c.resolution) {
    out += `\n## Closed — ${c.resolution.by} @ ${renderTime(c.resolution.at)}\n\n${withTrailingNewline(c.resolution.text)}`;
  }
  return out;
}
