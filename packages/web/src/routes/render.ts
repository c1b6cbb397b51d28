// Whole pages as answers: each page's view built and framed, never cached (they carry a login's
// token), with the status of the error they show, if any. The page routes and the action
// routes (which show a refused form again with its error) both answer through here.
import { CONVERSATION_STATUSES, type CrosstalkError, renderConversation, type Conversation } from '@crosstalk/core';
import type { Context } from 'hono';
import type { Login } from '../auth/logins.js';
import type { WebDeps } from '../deps.js';
import { h, text, type Html } from '../html.js';
import { conversationPage } from '../pages/conversation.js';
import { humanForm, openForm, type Values } from '../pages/forms.js';
import { bare, layout, type Frame } from '../pages/layout.js';
import { listPage, sortForList, type ListFilter } from '../pages/list.js';
import { sessionsPage, sessionsRegion } from '../pages/sessions.js';
import { allSessionNames, conversationTitle, conversationView, errorBox, frame, humans, listTitle, localSessions } from '../views.js';

export function answer(c: Context, f: Frame, main: Html, status = 200): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(text(layout(f, main)), status as 200);
}

/** A refusal before any page: a page of its own, without the stylesheet a refused login could not load. */
export function refusal(c: Context, error: CrosstalkError): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(text(bare(`${error.code} · crosstalk`, errorBox(error))), error.status as 401);
}

export function filterOf(c: Context): ListFilter {
  const status = c.req.query('status');
  const participant = c.req.query('participant');
  return {
    status: status && (CONVERSATION_STATUSES as readonly string[]).includes(status) ? status : undefined,
    participant: participant || undefined,
    archived: c.req.query('archived') === '1' || undefined,
  };
}

const listStream = (f: ListFilter) =>
  `/events/list?${new URLSearchParams({ status: f.status ?? '', participant: f.participant ?? '', ...(f.archived ? { archived: '1' } : {}) }).toString()}`;

export function listAnswer(c: Context, deps: WebDeps, login: Login, opts: { values?: Values; error?: CrosstalkError } = {}): Response {
  const filter = filterOf(c);
  const main = listPage({
    rows: sortForList(deps.live.conversations(), filter),
    filter,
    humans: humans(deps),
    participants: allSessionNames(deps),
    open: h`${opts.error ? errorBox(opts.error) : ''}${openForm({ csrf: login.csrf, local: localSessions(deps), values: opts.values })}`,
  });
  return answer(c, frame(deps, listTitle(deps), 'list', listStream(filter)), main, opts.error?.status);
}

export function conversationAnswer(
  c: Context,
  deps: WebDeps,
  login: Login,
  conv: Conversation,
  opts: { values?: Values; error?: CrosstalkError } = {},
): Response {
  const view = conversationView(deps, conv, login, opts.values);
  const f = frame(deps, conversationTitle(conv, view.humans), 'conversation', `/events/c/${encodeURIComponent(conv.id)}`);
  return answer(c, f, conversationPage(view, opts.error ? errorBox(opts.error) : undefined), opts.error?.status);
}

export async function sessionsAnswer(c: Context, deps: WebDeps, login: Login, opts: { values?: Values; error?: CrosstalkError } = {}): Promise<Response> {
  const rows = await deps.directory.current();
  const region = sessionsRegion(rows, (s) => deps.live.lastReceipt(s), deps.host);
  const form = humanForm({ csrf: login.csrf, local: localSessions(deps), values: opts.values });
  const main = sessionsPage(region, form, opts.error ? errorBox(opts.error) : undefined);
  return answer(c, frame(deps, 'Sessions · crosstalk', 'sessions', '/events/sessions'), main, opts.error?.status);
}

/** The markdown copy, byte for byte what every host writes to disk. */
export function markdownAnswer(c: Context, conv: Conversation): Response {
  c.header('Cache-Control', 'no-store');
  c.header('Content-Type', 'text/plain; charset=utf-8');
  return c.body(renderConversation(conv));
}
