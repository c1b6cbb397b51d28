// Where the built programs and the harness's own helper programs are.
import { fileURLToPath } from 'node:url';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const REPO = at('../../');
export const RELAY_MAIN = at('../../packages/relay/dist/main.js');
export const AGENT_MAIN = at('../../packages/agent/dist/main.js');
export const CLI_BIN = at('../../packages/cli/dist/bundle/bin.js');
export const RELAY_ENTRY = at('./relay-entry.mjs');
export const AGENT_ENTRY = at('./agent-entry.mjs');
export const SCRIPTED_AGENT = at('./scripted-agent.mjs');
