// Where things are: the repository and the built CLI the tests run (`npm test` builds first).
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI entry script every test runs as a real process. */
export const CLI_BIN = fileURLToPath(new URL('../../packages/cli/dist/bundle/bin.js', import.meta.url));
export const NODE = process.execPath;
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** An agent with timing knobs the command line does not offer (test/harness/agent-entry.mjs). */
export const AGENT_ENTRY = fileURLToPath(new URL('../harness/agent-entry.mjs', import.meta.url));
