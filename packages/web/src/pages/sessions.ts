// The Sessions page: every session the relay knows, with its host, kind, whether it is online,
// what it is doing and since when (a column shown while the relay reports states: it has none
// for a host whose agent is away), its latest wake-up receipt and since when it has joined; and
// the form to take part as a person here.
import { renderTime, type ReceiptEvent, type SessionInfo } from '@crosstalk/core';
import { h, type Html } from '../html.js';
import { shortTime } from './model.js';

/** A session as the relay lists it; `state` is there while its host's agent reports it. */
export type SessionRow = SessionInfo;

function online(s: SessionRow): string {
  if (s.kind === 'human') return 'person';
  if (s.online === undefined) return '—';
  return s.online ? 'online' : 'offline';
}

/** `working since 14:03:07`; a person has no hooks to say what they do, so no state. */
function state(s: SessionRow): Html {
  if (s.kind === 'human' || !s.state) return h`—`;
  const since =
    s.stateSince && s.state !== 'unknown' ? h` <span class="since">since <time datetime="${s.stateSince}">${shortTime(s.stateSince)}</time></span>` : '';
  return h`<span class="st-${s.state}">${s.state}</span>${since}`;
}

function receipt(r: ReceiptEvent | undefined): Html {
  if (!r) return h`—`;
  const x = r.receipt;
  return h`<span class="r-${x.status}">${x.status}${x.reason ? ` (${x.reason})` : ''}</span> <a href="/c/${encodeURIComponent(x.conversation)}">${x.conversation}</a> turn ${x.turn} <time datetime="${r.at}">${shortTime(r.at)}</time>`;
}

export function sessionsRegion(rows: readonly SessionRow[], lastReceipt: (session: string) => ReceiptEvent | undefined, host: string): Html {
  const withState = rows.some((s) => typeof s.state === 'string');
  const sorted = [...rows].sort((a, b) => (a.host === b.host ? (a.name < b.name ? -1 : 1) : a.host < b.host ? -1 : 1));
  return h`<section id="sessions">
<table class="sessions">
<thead><tr><th>Host</th><th>Session</th><th>Kind</th><th>Online</th>${withState ? h`<th>State</th>` : ''}<th>Last receipt</th><th>Joined</th></tr></thead>
<tbody>${sorted.map(
    (s) => h`<tr id="s-${s.name}"${s.host === host ? h` class="here"` : ''}>
<td>${s.host}</td><td>${s.name}</td><td>${s.kind}</td><td>${online(s)}</td>${withState ? h`<td>${state(s)}</td>` : ''}<td>${receipt(lastReceipt(s.name))}</td><td><time datetime="${s.joinedAt}">${renderTime(s.joinedAt)}</time></td>
</tr>`,
  )}</tbody>
</table>
${rows.length === 0 ? h`<p class="empty">No sessions yet.</p>` : ''}
</section>`;
}

export function sessionsPage(region: Html, form: Html, error?: Html): Html {
  return h`<h1>Sessions</h1>${region}${error ?? ''}${form}`;
}
