// The forms a person acts with: post a turn, open a conversation, the moderator's actions, add a
// person on this host. Plain HTML forms (they work without the page's script), each with this
// login's CSRF token; the turn and open forms carry an idempotency key, so a form sent twice
// posts once. `values` refills what was typed when the relay refused it.
import { randomBytes } from 'node:crypto';
import type { Conversation, Session } from '@crosstalk/core';
import { h, type Child, type Html } from '../html.js';
import { floorHolders } from './model.js';

export type Values = Readonly<Record<string, string>>;

export interface FormContext {
  csrf: string;
  /** Sessions of this host, people first: who the page may act as. */
  local: readonly Session[];
  values?: Values | undefined;
}

const key = () => randomBytes(16).toString('base64url');

function hidden(name: string, value: string | number): Html {
  return h`<input type="hidden" name="${name}" value="${value}">`;
}

function select(name: string, options: readonly string[], chosen: string | undefined, label: string): Html {
  return h`<label>${label} <select name="${name}">${options.map((o) => h`<option value="${o}"${o === chosen ? h` selected` : ''}>${o}</option>`)}</select></label>`;
}

function form(action: string, csrf: string, id: string, fields: Child): Html {
  return h`<form method="post" action="${action}" id="${id}">${hidden('csrf', csrf)}${fields}</form>`;
}

/** The session to act as by default: a person here who holds the floor, else one of `candidates`. */
function defaultActor(ctx: FormContext, candidates: readonly string[], holders: readonly string[]): string | undefined {
  const human = new Set(ctx.local.filter((s) => s.kind === 'human').map((s) => s.name));
  return (
    ctx.values?.as ??
    candidates.find((s) => human.has(s) && holders.includes(s)) ??
    candidates.find((s) => holders.includes(s)) ??
    candidates.find((s) => human.has(s)) ??
    candidates[0]
  );
}

export function turnForm(c: Conversation, ctx: FormContext): Html {
  const mine = ctx.local.map((s) => s.name).filter((s) => c.participants.includes(s));
  if (mine.length === 0 || c.status === 'closed') return h``;
  const v = ctx.values ?? {};
  const n = c.turns.length + 1;
  return form(
    `/c/${encodeURIComponent(c.id)}/turn`,
    ctx.csrf,
    'turn-form',
    h`<h2>Post turn ${n}</h2>
${hidden('expectedTurn', n)}${hidden('key', v.key ?? key())}
${select('as', mine, defaultActor(ctx, mine, floorHolders(c)), 'As')}
<label class="wide">Turn <textarea name="body" rows="6" required>${v.body ?? ''}</textarea></label>
<label>Next <input name="next" value="${v.next ?? ''}" placeholder="default: the others"></label>
<label>Propose a decision <input name="propose" value="${v.propose ?? ''}"></label>
${c.proposal ? h`<label><input type="checkbox" name="agree" value="yes"${v.agree ? h` checked` : ''}> agree with the proposal of turn ${c.proposal.turn}</label>` : ''}
<button type="submit">Post</button>`,
  );
}

export function moderationForms(c: Conversation, ctx: FormContext, allSessions: readonly string[]): Html {
  const moderatorHere = ctx.local.some((s) => s.name === c.moderator);
  if (!moderatorHere || c.status === 'closed') return h``;
  const id = encodeURIComponent(c.id);
  const as = hidden('as', c.moderator);
  const others = allSessions.filter((s) => !c.participants.includes(s));
  const v = ctx.values ?? {};
  return h`<h2>Moderate (as ${c.moderator})</h2>
<div class="moderation">
${form(`/c/${id}/moderate`, ctx.csrf, 'hand-form', h`${as}${hidden('action', 'next')}${select('value', c.participants, c.next[0], 'Hand the floor to')}<button type="submit">Hand</button>`)}
${form(`/c/${id}/moderate`, ctx.csrf, 'extend-form', h`${as}${hidden('action', 'extend')}<label>Extend by <input name="value" type="number" min="1" value="10" size="4"></label><button type="submit">Extend</button>`)}
${others.length > 0 ? form(`/c/${id}/moderate`, ctx.csrf, 'add-form', h`${as}${hidden('action', 'add')}${select('value', others, undefined, 'Add')}<button type="submit">Add</button>`) : ''}
${form(`/c/${id}/moderate`, ctx.csrf, 'remove-form', h`${as}${hidden('action', 'remove')}${select('value', c.participants, undefined, 'Remove')}<button type="submit">Remove</button>`)}
${form(`/c/${id}/close`, ctx.csrf, 'close-form', h`${as}<label class="wide">Resolution <textarea name="resolution" rows="2" required>${v.resolution ?? ''}</textarea></label><button type="submit">Close</button>`)}
</div>`;
}

export function openForm(ctx: FormContext): Html {
  if (ctx.local.length === 0)
    return h`<p class="note">This host has no session to open a conversation as: add a person on the <a href="/sessions">Sessions</a> page.</p>`;
  const v = ctx.values ?? {};
  const names = ctx.local.map((s) => s.name);
  return h`<details class="open"${ctx.values ? h` open` : ''}><summary>Open a conversation</summary>
${form(
  '/open',
  ctx.csrf,
  'open-form',
  h`${hidden('key', v.key ?? key())}
${select('as', names, defaultActor(ctx, names, []), 'As')}
<label>Topic <input name="topic" required value="${v.topic ?? ''}"></label>
<label>With <input name="with" required value="${v.with ?? ''}" placeholder="session, session"></label>
<label>Max turns <input name="maxTurns" type="number" min="1" value="${v.maxTurns ?? ''}" placeholder="20"></label>
<label class="wide">Opening turn <textarea name="body" rows="5" required>${v.body ?? ''}</textarea></label>
<button type="submit">Open</button>`,
)}
</details>`;
}

export function humanForm(ctx: FormContext): Html {
  return form(
    '/sessions/human',
    ctx.csrf,
    'human-form',
    h`<h2>Take part as a person on this host</h2>
<p class="note">A session of kind <code>human</code>: never typed into; the pages show "your turn" instead.</p>
<label>Name <input name="name" required value="${ctx.values?.name ?? ''}" placeholder="e.g. alice"></label>
<button type="submit">Add</button>`,
  );
}
