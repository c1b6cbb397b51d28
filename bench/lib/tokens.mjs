// Token minting for load generators: the same compact EdDSA JWT as core's tokenSigner (header
// alg/typ/kid; claims sub/aud/iat/exp/jti), signed with node:crypto directly so that minting
// tens of thousands of tokens before a run takes a second, not the run's CPU.
import { createPrivateKey, randomBytes, sign } from 'node:crypto';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function fastSigner(privateJwk, kid, relayId) {
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d }, format: 'jwk' });
  const header = b64({ alg: 'EdDSA', typ: 'JWT', kid });
  const aud = `crosstalk:${relayId}`;
  return {
    kid,
    mint(lifetimeSeconds = 240) {
      const now = Math.floor(Date.now() / 1000);
      const payload = b64({ sub: kid, aud, iat: now, exp: now + lifetimeSeconds, jti: randomBytes(18).toString('base64url') });
      const input = `${header}.${payload}`;
      return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
    },
  };
}
