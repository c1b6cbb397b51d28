// A token signer that follows the host key file: after `crosstalk agent rotate-key` replaced
// host-key.json, the next token is signed with the new key, so a running agent (or web view)
// reconnects with it without a restart. One stat per token; the key is read again only when the
// file changed.
import { stat } from 'node:fs/promises';
import { tokenSigner, type TokenSigner } from '@crosstalk/core/token';
import { readHostKey } from './host-key.js';

export async function hostKeySigner(path: string, host: string, relayId: string): Promise<TokenSigner> {
  const fingerprint = async () => {
    const s = await stat(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  };
  let signer = await tokenSigner(await readHostKey(path), host, relayId);
  let seen = await fingerprint();
  return {
    kid: signer.kid,
    async mint(options) {
      const now = await fingerprint().catch(() => seen);
      if (now !== seen) {
        signer = await tokenSigner(await readHostKey(path), host, relayId);
        seen = now;
      }
      return signer.mint(options);
    },
  };
}
