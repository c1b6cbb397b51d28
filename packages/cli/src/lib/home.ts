// Where this CLI finds the crosstalk home, and clients that sign as this host.
import { createRelayClient, type RelayClient } from '@crosstalk/client';
import { homeLayout, hostKeySigner, readAgentConfig, resolveHome, type AgentConfig, type HomeLayout } from '@crosstalk/agent/home';
import type { TokenSigner } from '@crosstalk/core/token';
import type { CliContext } from '../handler.js';

export function layoutOf(ctx: Pick<CliContext, 'crosstalkHome' | 'userHome'>): HomeLayout {
  return homeLayout(resolveHome({ crosstalkHome: ctx.crosstalkHome, userHome: ctx.userHome }));
}

/** This host's enrollment and a client signing as it. */
export interface HostConnection {
  layout: HomeLayout;
  config: AgentConfig;
  signer: TokenSigner;
  client: RelayClient;
}

/** Reads the home's config and key; NOT_ENROLLED when there are none. */
export async function connectHost(ctx: Pick<CliContext, 'crosstalkHome' | 'userHome'>, layout: HomeLayout = layoutOf(ctx)): Promise<HostConnection> {
  const config = await readAgentConfig(layout.config);
  // Follows host-key.json, so a long-running command (web, tail -f) signs with a rotated key.
  const signer = await hostKeySigner(layout.hostKey, config.host, config.relayId);
  return { layout, config, signer, client: createRelayClient({ relayUrl: config.relayUrl, signer }) };
}
