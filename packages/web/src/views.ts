// Builds each page's view from the live state for one login: shared by the page routes, which
// render whole pages, and the event streams, which render the parts that changed.
import type { Conversation, Session } from '@crosstalk/core';
import type { Login } from './auth/logins.js';
import type { WebDeps } from './deps.js';
import { h, type Html } from './html.js';
import type { Frame } from './pages/layout.js';
import type { ConversationView } from './pages/conversation.js';
import type { Values } from './pages/forms.js';
import { humansAt, titleFor, yourTurn } from './pages/model.js';

/** This host's sessions, people first: who the page may act as. */
export function localSessions(deps: WebDeps): Session[] {
  const here = [...deps.live.sessions()].filter((s) => s.host === deps.host);
  return here.sort((a, b) => ((a.kind === 'human') === (b.kind === 'human') ? (a.name < b.name ? -1 : 1) : a.kind === 'human' ? -1 : 1));
}

export function humans(deps: WebDeps): string[] {
  return humansAt(deps.live.sessions(), deps.host);
}

export function allSessionNames(deps: WebDeps): string[] {
  return [...deps.live.sessions()].map((s) => s.name).sort();
}

export function frame(deps: WebDeps, title: string, current: Frame['current'], stream?: string): Frame {
  return {
    title,
    current,
    host: deps.host,
    connected: deps.link.connected,
    assets: { style: deps.assets.style.url, script: deps.assets.script.url, icon: deps.assets.icon.url },
    ...(stream ? { stream: { url: stream, seq: deps.live.seq } } : {}),
  };
}

export function conversationView(deps: WebDeps, c: Conversation, login: Login, values?: Values): ConversationView {
  return {
    c,
    receipts: deps.live.receiptsOf(c.id),
    humans: humans(deps),
    hostOf: (s) => deps.live.session(s)?.host,
    allSessions: allSessionNames(deps),
    form: { csrf: login.csrf, local: localSessions(deps), values },
  };
}

export function conversationTitle(c: Conversation, people: readonly string[]): string {
  return titleFor(c.topic, yourTurn(c, people));
}

/** The list's tab title: how many conversations wait for a person here. */
export function listTitle(deps: WebDeps): string {
  const people = humans(deps);
  let waiting = 0;
  for (const c of deps.live.conversations()) if (yourTurn(c, people).length > 0) waiting++;
  return waiting > 0 ? `(${waiting}) Your turn · Conversations · crosstalk` : 'Conversations · crosstalk';
}

/** A refusal or failed action, in words: what happened, its code, and what to do next. */
export function errorBox(error: { code: string; message: string; hint: string }): Html {
  return h`<div class="error" id="error" role="alert"><p><strong>${error.message}</strong> <code>${error.code}</code></p><p>${error.hint}</p></div>`;
}
