// The browser tier's Chromium: Debian's own build (`apt-get install chromium`; .ci/run installs
// it), driven through playwright-core with that executable, never a downloaded browser; headless,
// with a fresh profile in the test's directory and nothing that reaches beyond this machine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { repoFile } from './paths.js';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when the tier must be skipped; throws under CI, where it must run. */
export function skipBrowserTier(env: NodeJS.ProcessEnv = process.env): boolean {
  if (existsSync(CHROMIUM)) return false;
  const why = `${CHROMIUM} is missing: apt-get install -y chromium`;
  if (env.CI === 'true' || env.CI === '1') throw new Error(`the browser tier cannot run in CI: ${why}`);
  process.stderr.write(`\n*** SKIPPING the browser tier: ${why} ***\n\n`);
  return true;
}

/** A headless Chromium with a profile of its own under `dir`; close it to end the browser. */
export function launchChromium(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1200, height: 900 },
  });
}

/** Where the tier leaves its screenshots (not committed). */
export const ARTIFACTS = repoFile('test-results/browser');
