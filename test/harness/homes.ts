// Hosts for the suites: a crosstalk home per host, enrolled through the real enrollment with an
// invite minted by the relay admin, and a client that signs as that host.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { enroll, homeLayout, hostClient, type AgentConfig, type HomeLayout } from '@crosstalk/agent';
import type { RelayClient } from '@crosstalk/client';
import type { RelayProc } from './relay.js';

export interface Home {
  name: string;
  /** Its crosstalk home. */
  home: string;
  layout: HomeLayout;
  config: AgentConfig;
  /** Signs as this host; talks to the URL the host was enrolled with. */
  client: RelayClient;
}

export interface EnrollHostOptions {
  /** The URL this host reaches the relay at (a fault proxy, another address); default the relay's. */
  relayUrl?: string;
  conversationsDir?: string;
  timeoutMs?: number;
}

/** Enrolls `name` with a fresh home under `root`. */
export async function enrollHost(relay: RelayProc, root: string, name: string, options: EnrollHostOptions = {}): Promise<Home> {
  const home = join(root, name);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const layout = homeLayout(home);
  const admin = await relay.adminClient();
  const { invite } = await admin.createInvite({ host: name });
  const { config } = await enroll({ relayUrl: options.relayUrl ?? relay.url, invite, host: name, layout, conversationsDir: options.conversationsDir });
  const { client } = await hostClient({ layout, config, timeoutMs: options.timeoutMs ?? 10_000 });
  return { name, home, layout, config, client };
}
