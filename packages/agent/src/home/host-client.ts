// A relay client signing as this host: the enrollment (config) and the host key come from the
// crosstalk home.
import { createRelayClient, type RelayClient, type RelayClientOptions } from '@crosstalk/client';
import { tokenSigner } from '@crosstalk/core/token';
import { readAgentConfig, type AgentConfig } from './config.js';
import { readHostKey } from './host-key.js';
import type { HomeLayout } from './layout.js';

type Extra = Omit<RelayClientOptions, 'relayUrl' | 'signer'>;

/** A client that signs as this host. Throws NOT_ENROLLED when the home holds no enrollment. */
export async function hostClient(options: { layout: HomeLayout; config?: AgentConfig } & Extra): Promise<{ client: RelayClient; config: AgentConfig }> {
  const { layout, config: given, ...extra } = options;
  const config = given ?? (await readAgentConfig(layout.config));
  const key = await readHostKey(layout.hostKey);
  const signer = await tokenSigner(key, config.host, config.relayId);
  return { client: createRelayClient({ ...extra, relayUrl: config.relayUrl, signer }), config };
}
