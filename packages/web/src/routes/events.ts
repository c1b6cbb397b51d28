// The live streams, one per kind of page. The list sends the rows that changed (and says which
// left its filter); a conversation sends its three regions again; the Sessions page its table.
// A stream that starts behind the page's seq (or after a reconnect, by Last-Event-ID) first
// sends what changed meanwhile. When the relay's log was replaced, every page reloads.
import { type Context, Hono } from 'hono';
import type { Login } from '../auth/logins.js';
import type { WebDeps, WebEnv } from '../deps.js';
import { text } from '../html.js';
import type { Change } from '../live/state.js';
import { actRegion, headRegion, timelineRegion } from '../pages/conversation.js';
import { listRow, matches } from '../pages/list.js';
import { lastActivity } from '../pages/model.js';
import { sessionsRegion } from '../pages/sessions.js';
import { conversationTitle, conversationView, humans, listTitle } from '../views.js';
import { filterOf } from './render.js';

/** Where the page is: Last-Event-ID after a reconnect, else the seq it was rendered at. */
function since(c: Context): number {
  const n = Number(c.req.header('last-event-id') ?? c.req.query('since') ?? '0');
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

function listRoute(deps: WebDeps, c: Context<WebEnv>): Response {
  const filter = filterOf(c);
  const from = since(c);
  const rows = (ids: Iterable<string>) => {
    const people = humans(deps);
    const out: Array<{ id: string; html: string | null; at?: string }> = [];
    for (const id of ids) {
      const conv = deps.live.conversation(id);
      if (conv && matches(conv, filter)) {
        out.push({ id, html: text(listRow(conv, people)), at: lastActivity(conv) });
      } else out.push({ id, html: null });
    }
    return { rows: out, title: listTitle(deps) };
  };
  return deps.streams.open(c, {
    first: () => {
      if (from >= deps.live.seq) return null;
      const changed = [...deps.live.conversations()].filter((x) => x.seq > from).map((x) => x.id);
      return rows(changed);
    },
    subscribe: (send) => deps.live.subscribe((change) => send(() => (change.all ? { reload: true } : rows(change.conversations)))),
    seq: () => deps.live.seq,
  });
}

function conversationUpdate(deps: WebDeps, id: string, login: Login): object {
  const conv = deps.live.conversation(id);
  if (!conv) return { reload: true };
  const view = conversationView(deps, conv, login);
  return {
    regions: { head: text(headRegion(view)), timeline: text(timelineRegion(view)), act: text(actRegion(view)) },
    title: conversationTitle(conv, view.humans),
  };
}

function conversationRoute(deps: WebDeps, c: Context<WebEnv>): Response {
  const id = c.req.param('id') ?? '';
  const login = c.get('login');
  const from = since(c);
  const touches = (change: Change) => change.all || change.sessions || change.conversations.has(id);
  return deps.streams.open(c, {
    first: () => (from < deps.live.seq ? conversationUpdate(deps, id, login) : null),
    subscribe: (send) => deps.live.subscribe((change) => touches(change) && send(() => conversationUpdate(deps, id, login))),
    seq: () => deps.live.seq,
  });
}

function sessionsRoute(deps: WebDeps, c: Context<WebEnv>): Response {
  const update = async (fresh: boolean) => {
    const rows = fresh ? await deps.directory.refresh() : await deps.directory.current();
    return { regions: { sessions: text(sessionsRegion(rows, (s) => deps.live.lastReceipt(s), deps.host)) } };
  };
  return deps.streams.open(c, {
    first: () => (since(c) < deps.live.seq ? update(false) : null),
    subscribe: (send) => {
      const stopLive = deps.live.subscribe((change) => change.sessions && send(() => update(true)));
      const stopWatch = deps.directory.watch(() => send(() => update(false)));
      return () => {
        stopLive();
        stopWatch();
      };
    },
    seq: () => deps.live.seq,
  });
}

export function eventRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/events/list', (c) => listRoute(deps, c));
  app.get('/events/c/:id', (c) => conversationRoute(deps, c));
  app.get('/events/sessions', (c) => sessionsRoute(deps, c));
  return app;
}
