// The forms' targets. Each acts through the relay with this host's client (act/actions.ts); on
// success it sends the browser on to the page that shows the result (303, so a reload does not
// send the form again), and on a refusal it shows the same page with the error in words and
// what was typed still in the form.
import { CrosstalkError } from '@crosstalk/core';
import { type Context, Hono } from 'hono';
import type { Form } from '../act/actions.js';
import type { WebDeps, WebEnv } from '../deps.js';
import { conversationAnswer, listAnswer, refusal, sessionsAnswer } from './render.js';

/** The form's fields as text; files and the token are left out. */
async function formOf(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== 'csrf') out[k] = v;
  return out;
}

/** How long an answer waits for the watch link to bring the action's event. */
const SHOWN_WITHIN_MS = 3000;

export function actRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  /** Until the live state holds the action's own event (briefly), so the next page shows it. */
  const caughtUp = (seq: number) => deps.live.until(() => deps.live.seq >= seq, SHOWN_WITHIN_MS);

  /** Runs an action on a conversation; a refusal shows its page again, with the error. */
  const onConversation = (act: (id: string, form: Form) => Promise<number>) => async (c: Context<WebEnv>) => {
    const id = c.req.param('id') ?? '';
    const form = await formOf(c);
    try {
      await caughtUp(await act(id, form));
      return c.redirect(`/c/${encodeURIComponent(id)}`, 303);
    } catch (err) {
      if (!(err instanceof CrosstalkError)) throw err;
      const conv = deps.live.conversation(id);
      if (!conv) return refusal(c, err);
      return conversationAnswer(c, deps, c.get('login'), conv, { values: form, error: err });
    }
  };

  app.post(
    '/c/:id/turn',
    onConversation((id, form) => deps.actions.postTurn(id, form)),
  );
  app.post(
    '/c/:id/moderate',
    onConversation((id, form) => deps.actions.moderate(id, form)),
  );
  app.post(
    '/c/:id/close',
    onConversation((id, form) => deps.actions.close(id, form)),
  );

  app.post('/open', async (c) => {
    const form = await formOf(c);
    try {
      const { id, seq } = await deps.actions.open(form);
      await caughtUp(seq);
      return c.redirect(`/c/${encodeURIComponent(id)}`, 303);
    } catch (err) {
      if (!(err instanceof CrosstalkError)) throw err;
      return listAnswer(c, deps, c.get('login'), { values: form, error: err });
    }
  });

  app.post('/sessions/human', async (c) => {
    const form = await formOf(c);
    try {
      const existing = deps.live.session(form.name?.trim() ?? '');
      // Re-registering would turn a coding agent's session into a person's.
      if (existing && existing.kind !== 'human') {
        throw new CrosstalkError('SESSION_TAKEN', `${existing.name} is already a ${existing.kind} session on host ${existing.host}`, {
          hint: 'choose another name',
        });
      }
      const name = await deps.actions.addHuman(form);
      await deps.live.until(() => deps.live.session(name)?.kind === 'human', SHOWN_WITHIN_MS);
      return c.redirect('/sessions', 303);
    } catch (err) {
      if (!(err instanceof CrosstalkError)) throw err;
      return sessionsAnswer(c, deps, c.get('login'), { values: form, error: err });
    }
  });

  return app;
}
