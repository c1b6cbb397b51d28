// The Conversation page: the same text as the markdown copy (header facts, decision, turns with
// their moderation notes in between, the close), bodies rendered from markdown safely, the
// proposal on the table, the wake-up receipts of every turn, a "next: …" banner that says "your
// turn" when a person here holds the floor, and the forms to act. Three regions (head, timeline,
// act), each rendered on its own so the live stream can replace them.
import { renderTime, type Conversation, type Note, type ReceiptEvent, type Turn } from '@crosstalk/core';
import { h, trusted, type Html } from '../html.js';
import { renderMarkdown } from '../markdown.js';
import { moderationForms, turnForm, type FormContext } from './forms.js';
import { floorHolders, yourTurn } from './model.js';

export interface ConversationView {
  c: Conversation;
  receipts: readonly ReceiptEvent[];
  humans: readonly string[];
  /** Where each session lives, for "author (host)". */
  hostOf: (session: string) => string | undefined;
  allSessions: readonly string[];
  form: FormContext;
}

function banner(c: Conversation, humans: readonly string[]): Html {
  const mine = yourTurn(c, humans);
  if (mine.length > 0) {
    const what = c.status === 'at-limit' ? 'the limit is reached: extend or close' : `post turn ${c.turns.length + 1}`;
    return h`<p id="banner" class="banner mine">Your turn (${mine.join(', ')}): ${what}.</p>`;
  }
  switch (c.status) {
    case 'in-progress':
      return h`<p id="banner" class="banner">Next: ${c.next.join(', ')} (turn ${c.turns.length + 1}).</p>`;
    case 'at-limit':
      return h`<p id="banner" class="banner">At its limit: the moderator ${c.moderator} extends or closes.</p>`;
    case 'converged':
      return h`<p id="banner" class="banner">Converged on a decision; the moderator ${c.moderator} may close it.</p>`;
    case 'closed':
      return h`<p id="banner" class="banner">Closed.</p>`;
  }
}

export function headRegion(view: ConversationView): Html {
  const { c } = view;
  const who = (s: string) => {
    const host = view.hostOf(s);
    return h`<li>${s}${host ? h` <span class="host">(${host})</span>` : ''}${s === c.moderator ? h` <em>moderator</em>` : ''}</li>`;
  };
  return h`<section id="head">
<h1>${c.topic}</h1>
<p class="facts"><span class="status s-${c.status}">${c.status}</span> <span class="id">${c.id}</span> · turn ${c.turns.length}/${c.maxTurns} · opened by ${c.openedBy} @ ${renderTime(c.openedAt)} · <a href="/c/${encodeURIComponent(c.id)}/markdown">markdown copy</a></p>
${banner(c, view.humans)}
<ul class="participants">${c.participants.map(who)}</ul>
${c.proposal ? h`<p class="proposal">On the table (turn ${c.proposal.turn}, by ${c.proposal.by}): <q>${c.proposal.text}</q>; agreed: ${c.proposal.agreed.join(', ') || 'nobody yet'}.</p>` : ''}
</section>`;
}

function receiptLine(receipts: readonly ReceiptEvent[]): Html {
  if (receipts.length === 0) return h``;
  return h`<p class="receipts">Wake-ups: ${receipts.map(
    (r, i) =>
      h`${i > 0 ? '; ' : ''}<span class="r-${r.receipt.status}">${r.receipt.session} ${r.receipt.status}${r.receipt.reason ? ` (${r.receipt.reason})` : ''}${r.receipt.attempt > 1 ? `, attempt ${r.receipt.attempt}` : ''} @ ${renderTime(r.at)}</span>`,
  )}</p>`;
}

function turnArticle(view: ConversationView, t: Turn, receipts: readonly ReceiptEvent[]): Html {
  const { c } = view;
  let flags: Html = h``;
  if (t.proposes !== undefined) flags = h` · <strong>proposes a decision</strong>`;
  else if (t.agrees !== undefined) flags = h` · agrees with the proposal of turn ${t.agrees}`;
  const host = view.hostOf(t.author) ?? t.host;
  return h`<article class="turn" id="turn-${t.n}">
<header><b>${t.n === 1 ? 'Opening' : 'Reply'}</b> — ${t.author} <span class="host">(${host})</span> @ ${renderTime(t.at)} · Turn ${t.n}/${c.maxTurns}${flags}</header>
<div class="body">${trusted(renderMarkdown(t.body))}</div>
${t.proposes !== undefined && t.proposes !== t.body ? h`<p class="proposal">PROPOSAL: ${t.proposes}</p>` : ''}
<p class="next">NEXT: ${t.next.length > 0 ? t.next.join(', ') : '-'}</p>
${receiptLine(receipts)}
</article>`;
}

function noteArticle(n: Note): Html {
  return h`<article class="note-entry"><header><b>Moderation</b> — ${n.by} @ ${renderTime(n.at)}</header><p>${n.text}</p></article>`;
}

/** The turns with the notes between them, as the markdown copy orders them, then the close. */
export function timelineRegion(view: ConversationView): Html {
  const { c } = view;
  // A receipt is about the turn its session was woken to write: shown under the turn before it.
  const byTurn = new Map<number, ReceiptEvent[]>();
  for (const r of view.receipts) {
    const after = r.receipt.turn - 1;
    byTurn.set(after, [...(byTurn.get(after) ?? []), r]);
  }
  const parts: Html[] = [];
  let i = 0;
  const notesUpTo = (turns: number) => {
    while (i < c.notes.length && (c.notes[i]?.afterTurn ?? Infinity) <= turns) parts.push(noteArticle(c.notes[i++] as Note));
  };
  notesUpTo(0);
  for (const t of c.turns) {
    parts.push(turnArticle(view, t, byTurn.get(t.n) ?? []));
    notesUpTo(t.n);
  }
  notesUpTo(Infinity);
  const d = c.decision;
  return h`<section id="timeline">
${d ? h`<article class="decision"><header><b>Decision</b> — turn ${d.turn}, agreed by ${d.agreedBy.join(', ')} @ ${renderTime(d.at)}</header><div class="body">${trusted(renderMarkdown(d.text))}</div></article>` : ''}
${parts}
${c.resolution ? h`<article class="closed"><header><b>Closed</b> — ${c.resolution.by} @ ${renderTime(c.resolution.at)}</header><div class="body">${trusted(renderMarkdown(c.resolution.text))}</div></article>` : ''}
</section>`;
}

export function actRegion(view: ConversationView, error?: Html): Html {
  const { c } = view;
  const holders = floorHolders(c);
  const forms = h`${turnForm(c, view.form)}${moderationForms(c, view.form, view.allSessions)}`;
  const nothing = forms.toString().trim() === '' && c.status !== 'closed';
  return h`<section id="act">
${error ?? ''}
${forms}
${nothing ? h`<p class="note">No session of this host takes part${holders.length > 0 ? ` (next: ${holders.join(', ')})` : ''}; add a person on the <a href="/sessions">Sessions</a> page and have the moderator add them.</p>` : ''}
</section>`;
}

export function conversationPage(view: ConversationView, error?: Html): Html {
  return h`${headRegion(view)}${timelineRegion(view)}${actRegion(view, error)}`;
}
