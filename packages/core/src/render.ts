// The markdown copy (SPEC §5): one pure function of the conversation state, so every host and
// the relay produce byte-identical files. Header values are generated here and always quoted.
// Remote text (bodies, the decision, the resolution) is never structure: each sits in a fenced
// code block whose fence is longer than any run of backticks in it, so no line of it can close the
// fence or read as a turn heading, a `Turn n/m` line or a `NEXT:` line; and control characters are
// shown as visible symbols (the log keeps the original text). See docs/PROTOCOL.md, "The copy".
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

/** The front matter: everything in it may change with any event of the conversation. */
export function renderHeader(c: Conversation): string {
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

// C0 controls but tab and newline, DEL, C1 controls and bidi controls: what a terminal (`cat`) or
// an editor would act on, or what would hide the order of the text.
const COPY_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Remote text as a copy holds it: CRLF becomes LF; a C0 control becomes its Control Picture
 * (ESC → ␛, CR → ␍), DEL becomes ␡, a C1 or bidi control becomes `<U+XXXX>`. Nothing else changes.
 */
export function visibleText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(COPY_CONTROLS, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}

/** Remote text in a fenced code block that nothing in it can close: the fence is longer than its longest run of backticks. */
export function fenced(text: string): string {
  const body = withTrailingNewline(visibleText(text));
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${body}${fence}\n`;
}

/** One turn: its heading, the `Turn n/m` line, the fenced body, the proposal, the `NEXT:` line. */
export function renderTurn(c: Pick<Conversation, 'maxTurns'>, t: Turn): string {
  const title = t.n === 1 ? 'Opening' : 'Reply';
  let flags = '';
  if (t.proposes !== undefined) flags = ' · proposes a decision';
  else if (t.agrees !== undefined) flags = ` · agrees with the proposal of turn ${t.agrees}`;
  let out = `\n## ${title} — ${t.author} @ ${renderTime(t.at)}\nTurn ${t.n}/${c.maxTurns}${flags}\n\n${fenced(t.body)}`;
  if (t.proposes !== undefined && t.proposes !== t.body) out += `\nPROPOSAL: ${visibleText(t.proposes.replace(/\r?\n/g, ' '))}\n`;
  out += `\nNEXT: ${t.next.length > 0 ? t.next.join(', ') : '-'}\n`;
  return out;
}

/** A moderation note (its text is the relay's own words). */
export function renderNote(n: Note): string {
  return `\n## Moderation — ${n.by} @ ${renderTime(n.at)}\n\n${visibleText(n.text)}\n`;
}

/** The decision, shown at the top of a converged conversation; empty without one. */
export function renderDecision(c: Conversation): string {
  if (!c.decision) return '';
  return `\n## Decision — turn ${c.decision.turn}, agreed by ${c.decision.agreedBy.join(', ')} @ ${renderTime(c.decision.at)}\n\n${fenced(c.decision.text)}`;
}

/** The moderator's resolution, last in a closed conversation; empty without one. */
export function renderClosed(c: Conversation): string {
  if (!c.resolution) return '';
  return `\n## Closed — ${c.resolution.by} @ ${renderTime(c.resolution.at)}\n\n${fenced(c.resolution.text)}`;
}

/** Renders the whole copy. Same state in, same bytes out, on every host. */
export function renderConversation(c: Conversation): string {
  let out = renderHeader(c);
  out += renderDecision(c);
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
  return out + renderClosed(c);
}
