// Enrolled hosts for the load scenarios, through the relay's real invite and enrollment routes.
import { adminClient, createRelayClient } from '@crosstalk/client';
import { generateEd25519, tokenSigner } from '@crosstalk/core/token';
import { readAdminKey } from '@crosstalk/relay';
import { pool } from './pool.mjs';

export async function adminOf(url, dataDir, relayId) {
  return adminClient({ relayUrl: url, adminKey: await readAdminKey(dataDir), relayId });
}

/** Enrolls each name as a host; returns `{name, privateJwk, client}` (client signs as the host). */
export async function enrollHosts(url, admin, relayId, names, concurrency = 8) {
  const anonymous = createRelayClient({ relayUrl: url });
  return pool(names, concurrency, async (name) => {
    const { invite } = await admin.createInvite({ host: name });
    const { privateJwk, publicJwk } = await generateEd25519();
    await anonymous.enroll({ invite, host: name, publicKey: publicJwk });
    const client = createRelayClient({ relayUrl: url, signer: await tokenSigner(privateJwk, name, relayId) });
    return { name, privateJwk, client };
  });
}
