// The pages a browser asks for: the login link, the three pages, the markdown copy, the assets
// and the tab's icon.
import { CrosstalkError } from '@crosstalk/core';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { COOKIE } from '../auth/guard.js';
import type { WebDeps, WebEnv } from '../deps.js';
import { h, text } from '../html.js';
import { bare } from '../pages/layout.js';
import { conversationAnswer, listAnswer, markdownAnswer, refusal, sessionsAnswer } from './render.js';

export function pageRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/login/:secret', (c) => {
    const redeemed = deps.logins.redeem(c.req.param('secret'));
    if (!redeemed) return refusal(c, new CrosstalkError('LOGIN_LINK_INVALID'));
    setCookie(c, COOKIE, redeemed.cookie, { httpOnly: true, sameSite: 'Strict', path: '/', secure: new URL(c.req.url).protocol === 'https:' });
    c.header('Cache-Control', 'no-store');
    // A page of our own, not a redirect: a strict cookie set by a navigation from elsewhere is
    // sent only once the browser moves on from a page of this site.
    return c.html(text(bare('Logged in · crosstalk', h`<p>Logged in. <a href="/">Go to the conversations</a>.</p>`, '/')));
  });

  app.get('/', (c) => listAnswer(c, deps, c.get('login')));

  app.get('/c/:id', (c) => {
    const conv = deps.live.conversation(c.req.param('id'));
    if (!conv) return refusal(c, new CrosstalkError('CONVERSATION_NOT_FOUND', `no conversation ${JSON.stringify(c.req.param('id').slice(0, 80))}`));
    return conversationAnswer(c, deps, c.get('login'), conv);
  });

  app.get('/c/:id/markdown', (c) => {
    const conv = deps.live.conversation(c.req.param('id'));
    if (!conv) return refusal(c, new CrosstalkError('CONVERSATION_NOT_FOUND'));
    return markdownAnswer(c, conv);
  });

  app.get('/sessions', (c) => sessionsAnswer(c, deps, c.get('login')));

  // What a browser asks for by itself, also on the pages that stand alone; the icon, nothing secret.
  app.get('/favicon.ico', (c) => {
    c.header('Content-Type', deps.assets.icon.type);
    c.header('Cache-Control', 'max-age=86400');
    return c.body(new Uint8Array(deps.assets.icon.body));
  });

  app.get('/assets/:name', (c) => {
    const asset = deps.assets.byName(c.req.param('name'));
    if (!asset) return refusal(c, new CrosstalkError('NOT_FOUND', 'no such file'));
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'private, max-age=31536000, immutable');
    return c.body(new Uint8Array(asset.body));
  });

  return app;
}
