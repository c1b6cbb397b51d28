// Clients bound to an identity: this host (config + host key from the crosstalk home) or the
// relay admin (the admin key from the relay's data dir).
import { tokenSigner, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { readAgentConfig, readHostKey, type AgentConfig, type HomeLayout } from '../home/index.js';
import { createRelayClient, type RelayClient, type RelayClientOptions } from './client.js';

type Extra = Omit<RelayClientOptions, 'relayUrl' | 'signer'>;

/** A client that signs as this host. Throws NOT_ENROLLED when the home holds no enrollment. */
export async function hostClient(options: { layout: HomeLayout; config?: AgentConfig } & Extra): Promise<{ client: RelayClient; config: AgentConfig }> {
  const { layout, config: given, ...extra } = options;
  const config = given ?? (await readAgentConfig(layout.config));
  const key = await readHostKey(layout.hostKey);
  const signer = await tokenSigner(key, config.host, config.relayId);
  return { client: createRelayClient({ ...extra, relayUrl: config.relayUrl, signer }), config };
}

/** A client that signs with the relay admin key; the relay id is asked from the relay when not given. */
export async function adminClient(options: { relayUrl: string; adminKey: Ed25519PrivateJwk; relayId?: string } & Extra): Promise<RelayClient> {
  const { relayUrl, adminKey, relayId: given, ...extra } = options;
  const relayId = given ?? (await createRelayClient({ ...extra, relayUrl }).health()).relayId;
  return createRelayClient({ ...extra, relayUrl, signer: await tokenSigner(adminKey, 'admin', relayId) });
}
