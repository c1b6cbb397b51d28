// The Conversations page: every conversation the relay holds, newest activity first, with its
// status, topic, participants, who is next, turn n/max and last activity; filtered by status and
// participant (a plain GET form). Rows are rendered one at a time so the live stream can send
// just the rows that changed.
import { CONVERSATION_STATUSES, type Conversation } from '@crosstalk/core';
import { h, type Html } from '../html.js';
import { floorHolders, lastActivity, shortTime, yourTurn } from './model.js';

export interface ListFilter {
  status?: string | undefined;
  participant?: string | undefined;
}

export function matches(c: Conversation, filter: ListFilter): boolean {
  if (filter.status && c.status !== filter.status) return false;
  if (filter.participant && !c.participants.includes(filter.participant)) return false;
  return true;
}

/** Newest activity first; ties by id, so the order is stable. */
export function sortForList(conversations: Iterable<Conversation>, filter: ListFilter): Conversation[] {
  const rows = [...conversations].filter((c) => matches(c, filter)).map((c) => ({ c, at: lastActivity(c) }));
  rows.sort((a, b) => (a.at === b.at ? (a.c.id < b.c.id ? -1 : 1) : a.at < b.at ? 1 : -1));
  return rows.map((r) => r.c);
}

const linkTo = (id: string) => `/c/${encodeURIComponent(id)}`;

export function listRow(c: Conversation, humans: readonly string[]): Html {
  const mine = yourTurn(c, humans);
  const next = floorHolders(c);
  const at = lastActivity(c);
  return h`<tr id="c-${c.id}" data-at="${at}"${mine.length > 0 ? h` class="mine"` : ''}>
<td><span class="status s-${c.status}">${c.status}</span></td>
<td><a href="${linkTo(c.id)}">${c.topic}</a><div class="id">${c.id}</div></td>
<td>${c.participants.join(', ')}</td>
<td>${mine.length > 0 ? h`<strong class="your-turn">your turn (${mine.join(', ')})</strong>` : next.length > 0 ? next.join(', ') : '—'}</td>
<td class="num">${c.turns.length}/${c.maxTurns}</td>
<td class="time"><time datetime="${at}">${shortTime(at)}</time></td>
</tr>`;
}

function filters(filter: ListFilter, participants: readonly string[]): Html {
  const option = (value: string, label: string, chosen: string | undefined) =>
    h`<option value="${value}"${value === (chosen ?? '') ? h` selected` : ''}>${label}</option>`;
  return h`<form class="filters" method="get" action="/">
<label>Status <select name="status">${option('', 'any', filter.status)}${CONVERSATION_STATUSES.map((s) => option(s, s, filter.status))}</select></label>
<label>Participant <select name="participant">${option('', 'anyone', filter.participant)}${participants.map((p) => option(p, p, filter.participant))}</select></label>
<button type="submit">Filter</button>
</form>`;
}

export interface ListView {
  rows: readonly Conversation[];
  filter: ListFilter;
  humans: readonly string[];
  /** Every session name, for the participant filter. */
  participants: readonly string[];
  /** The form to open a conversation. */
  open: Html;
}

export function listPage(view: ListView): Html {
  return h`<h1>Conversations</h1>
${filters(view.filter, view.participants)}
<table class="list">
<thead><tr><th>Status</th><th>Topic</th><th>Participants</th><th>Next</th><th>Turn</th><th>Last activity</th></tr></thead>
<tbody id="rows">${view.rows.map((c) => listRow(c, view.humans))}</tbody>
</table>
${view.rows.length === 0 ? h`<p class="empty" id="empty">No conversations${view.filter.status || view.filter.participant ? ' match these filters' : ' yet'}.</p>` : ''}
${view.open}`;
}
