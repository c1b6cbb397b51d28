// The browser's three files, the stylesheet, the module script and the tab's icon, served from this server (so the
// Content-Security-Policy allows nothing else), as written, without a build step. They sit in
// `browser/` beside this module: in the package's dist, and beside the CLI's bundled chunks
// (the build copies them to both). Their URLs carry a hash, so they are cached for good.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export interface Asset {
  name: string;
  type: string;
  body: Buffer;
  /** `/assets/<name>?v=<hash>` */
  url: string;
}

export interface Assets {
  style: Asset;
  script: Asset;
  icon: Asset;
  byName(name: string): Asset | undefined;
}

const TYPES: Record<string, string> = {
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

async function load(name: string): Promise<Asset> {
  const body = await readFile(new URL(`./browser/${name}`, import.meta.url));
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12);
  return { name, type: TYPES[name] ?? 'application/octet-stream', body, url: `/assets/${name}?v=${hash}` };
}

export async function loadAssets(): Promise<Assets> {
  const [style, script, icon] = await Promise.all([load('style.css'), load('app.js'), load('icon.svg')]);
  return { style, script, icon, byName: (name) => [style, script, icon].find((a) => a.name === name) };
}
