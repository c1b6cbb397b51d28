// A client bound to the relay admin identity: it signs with the admin key from the relay's data
// dir. (A client signing as a host is made from the crosstalk home, by the agent.)
import { tokenSigner, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { createRelayClient, type RelayClient, type RelayClientOptions } from './client.js';

type Extra = Omit<RelayClientOptions, 'relayUrl' | 'signer'>;

/** A client that signs with the relay admin key; the relay id is asked from the relay when not given. */
export async function adminClient(options: { relayUrl: string; adminKey: Ed25519PrivateJwk; relayId?: string } & Extra): Promise<RelayClient> {
  const { relayUrl, adminKey, relayId: given, ...extra } = options;
  const relayId = given ?? (await createRelayClient({ ...extra, relayUrl }).health()).relayId;
  return createRelayClient({ ...extra, relayUrl, signer: await tokenSigner(adminKey, 'admin', relayId) });
}
