// What crosstalk keeps where inside its home. Which directory the home is, core's resolveHome
// decides from what the entry point read (environment, home directory).
import { join } from 'node:path';
import { relayDataDirOf } from '@crosstalk/core';

export { resolveHome, type HomeInputs } from '@crosstalk/core';

export interface HomeLayout {
  home: string;
  /** Agent configuration: relay URL and id, host name, copies dir, wake settings. */
  config: string;
  /** This host's Ed25519 private key, readable only by the user. */
  hostKey: string;
  /** The agent's applied state and cursor. */
  stateDir: string;
  /** Default directory of the markdown copies. */
  conversationsDir: string;
  /** Written by the running agent for `crosstalk agent status`. */
  agentStatus: string;
  /** Sessions joined on this host, with their wake targets (for `whoami`, pane lookup). */
  sessions: string;
  /** Data dir of a relay started on this machine by `crosstalk up` or `relay serve`. */
  relayDataDir: string;
  /** Log files of services (agent as a service). */
  logsDir: string;
  /** Sessions blocked in `crosstalk wait` or `ask` right now, a file each (sessions/waiting.ts). */
  waitingDir: string;
}

export function homeLayout(home: string): HomeLayout {
  return {
    home,
    config: join(home, 'config.json'),
    hostKey: join(home, 'host-key.json'),
    stateDir: join(home, 'state'),
    conversationsDir: join(home, 'conversations'),
    agentStatus: join(home, 'agent-status.json'),
    sessions: join(home, 'sessions.json'),
    relayDataDir: relayDataDirOf(home),
    logsDir: join(home, 'logs'),
    waitingDir: join(home, 'waiting'),
  };
}
