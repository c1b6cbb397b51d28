// Whether the real coding agents are installed for this tier (`npm ci --prefix test/agents/install`,
// which .ci/run does). Under CI a missing agent fails the run; elsewhere the tier says loudly that
// it skipped, and why.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLAUDE_BIN = fileURLToPath(new URL('../install/node_modules/.bin/claude', import.meta.url));
export const CODEX_BIN = fileURLToPath(new URL('../install/node_modules/.bin/codex', import.meta.url));
const INSTALL = fileURLToPath(new URL('../install/', import.meta.url));

/** Why the tier cannot run here, or null when it can. */
export function missingAgents(): string | null {
  const missing = [CLAUDE_BIN, CODEX_BIN].filter((bin) => !existsSync(bin));
  if (missing.length === 0) return null;
  return `the real coding agents are not installed (${missing.join(', ')}): run \`npm ci --prefix ${INSTALL}\``;
}

/** True when the tier must be skipped; throws under CI, where it must run. */
export function skipRealAgents(env: NodeJS.ProcessEnv = process.env): boolean {
  const why = missingAgents();
  if (why === null) return false;
  if (env.CI === 'true' || env.CI === '1') throw new Error(`the real-agent tier cannot run in CI: ${why}`);
  process.stderr.write(`\n*** SKIPPING the real-agent tier: ${why} ***\n\n`);
  return true;
}
