// The Conversations page: every conversation the relay holds, newest activity first, with its
// status, topic, participants, who is next, turn n/max and last activity; filtered by status and
// participant (a plain GET form). Rows are rendered one at a time so the live stream can send
// just the rows that changed. The list is a grid of rows (ARIA table roles), not a <table>: a
// row off screen is then neither styled nor laid out until it scrolls near (content-visibility),
// so hundreds of rows cost the first paint little.
import { CONVERSATION_STATUSES, type Conversation } from '@crosstalk/core';
import { h, type Html } from '../html.js';
import { floorHolders, lastActivity, shortTime, yourTurn } from './model.js';

export interface ListFilter {
  status?: string | undefined;
  participant?: string | undefined;
  /** Archived conversations are hidden unless asked for, as in `crosstalk list`. */
  archived?: boolean | undefined;
}

export function matches(c: Conversation, filter: ListFilter): boolean {
  if (c.archived && !filter.archived) return false;
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
  return h`<div role="row" class="row${mine.length > 0 ? ' mine' : ''}" id="c-${c.id}" data-at="${at}">
<span role="cell"><span class="status s-${c.status}">${c.status}</span></span>
<span role="cell"><a href="${linkTo(c.id)}">${c.topic}</a><span class="id">${c.id}</span></span>
<span role="cell">${c.participants.join(', ')}</span>
<span role="cell">${mine.length > 0 ? h`<strong class="your-turn">your turn (${mine.join(', ')})</strong>` : next.length > 0 ? next.join(', ') : '—'}</span>
<span role="cell" class="num">${c.turns.length}/${c.maxTurns}</span>
<span role="cell" class="time"><time datetime="${at}">${shortTime(at)}</time></span>
</div>`;
}

function filters(filter: ListFilter, participants: readonly string[]): Html {
  const option = (value: string, label: string, chosen: string | undefined) =>
    h`<option value="${value}"${value === (chosen ?? '') ? h` selected` : ''}>${label}</option>`;
  return h`<form class="filters" method="get" action="/">
<label>Status <select name="status">${option('', 'any', filter.status)}${CONVERSATION_STATUSES.map((s) => option(s, s, filter.status))}</select></label>
<label>Participant <select name="participant">${option('', 'anyone', filter.participant)}${participants.map((p) => option(p, p, filter.participant))}</select></label>
<label><input type="checkbox" name="archived" value="1"${filter.archived ? h` checked` : ''}> archived too</label>
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
<div class="list" role="table" aria-label="Conversations">
<div role="row" class="row head"><span role="columnheader">Status</span><span role="columnheader">Topic</span><span role="columnheader">Participants</span><span role="columnheader">Next</span><span role="columnheader">Turn</span><span role="columnheader">Last activity</span></div>
<div role="rowgroup" id="rows">${view.rows.map((c) => listRow(c, view.humans))}</div>
</div>
${view.rows.length === 0 ? h`<p class="empty" id="empty">No conversations${view.filter.status || view.filter.participant ? ' match these filters' : ' yet'}.</p>` : ''}
${view.open}`;
}
