// Where things are: the repository, the built programs the suites run (`npm test` builds first),
// and the harness's own helper programs.
import { fileURLToPath } from 'node:url';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const REPO = at('../../');
/** A file of the repository by its path from the top. */
export const repoFile = (path: string): string => at(`../../${path}`);
export const NODE = process.execPath;
/** The CLI every suite runs as a real process. */
export const CLI_BIN = at('../../packages/cli/dist/bundle/bin.js');
/** The same CLI read by its full program only, never by the fast entry (full-program.mjs). */
export const FULL_PROGRAM = at('./full-program.mjs');
export const RELAY_MAIN = at('../../packages/relay/dist/main.js');
export const AGENT_MAIN = at('../../packages/agent/dist/main.js');
/** A relay with options the command line does not offer (a short heartbeat, no rate limits). */
export const RELAY_ENTRY = at('./relay-entry.mjs');
/** An agent with timing knobs the command line does not offer. */
export const AGENT_ENTRY = at('./agent-entry.mjs');
/** A coding agent for a tmux pane that joins, records what reaches it and acts on its wake-ups. */
export const SCRIPTED_AGENT = at('./scripted-agent.mjs');
