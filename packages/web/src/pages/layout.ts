// The frame of every page: the document head (one stylesheet, one deferred module script, both
// from this server, so the Content-Security-Policy can forbid everything inline), the navigation,
// and where the page's live stream is. The browser code reads `data-stream` and `data-seq`.
import { h, type Html } from '../html.js';

export interface Frame {
  title: string;
  /** Which navigation entry is current. */
  current: 'list' | 'sessions' | 'conversation';
  host: string;
  /** Event-stream URL for live updates, and the state's seq the page was rendered at. */
  stream?: { url: string; seq: number };
  assets: { style: string; script: string; icon: string };
  /** Linked to the relay right now (a stale page says so). */
  connected: boolean;
}

export function layout(frame: Frame, main: Html): Html {
  const nav = (key: Frame['current'], href: string, label: string) => h`<a href="${href}"${key === frame.current ? h` aria-current="page"` : ''}>${label}</a>`;
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${frame.title}</title>
<link rel="icon" href="${frame.assets.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${frame.assets.style}">
<script type="module" src="${frame.assets.script}"></script>
</head>
<body${frame.stream ? h` data-stream="${frame.stream.url}" data-seq="${frame.stream.seq}"` : ''}>
<header class="top">
<strong class="brand">crosstalk</strong>
<nav>${nav('list', '/', 'Conversations')} ${nav('sessions', '/sessions', 'Sessions')}</nav>
<span class="where">host <b>${frame.host}</b> <span id="link-state" class="${frame.connected ? 'live' : 'stale'}">${frame.connected ? 'live' : 'relay link down'}</span></span>
</header>
<main>${main}</main>
</body>
</html>`;
}

/** A page that stands alone (refusals, the login step): no stylesheet, no script, no navigation. */
export function bare(title: string, body: Html, refresh?: string): Html {
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="same-origin">
${refresh ? h`<meta http-equiv="refresh" content="0;url=${refresh}">` : ''}
<title>${title}</title>
</head>
<body>${body}</body>
</html>`;
}
