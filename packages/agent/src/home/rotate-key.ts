// `crosstalk agent rotate-key`: a new key pair made here; the relay takes the new public key on a
// request signed with the current key, and host-key.json gets the new key (atomically, owner-only).
// The new key is kept in host-key.next.json until the relay has answered: if the answer is lost,
// the next run finds out whether the relay took it (a request signed with it) and finishes.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createRelayClient } from '@crosstalk/client';
import { CrosstalkError, type KeyRotatedAnswer } from '@crosstalk/core';
import { generateEd25519, tokenSigner, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { readAgentConfig } from './config.js';
import { type KeyProtection, readHostKey, writeHostKey } from './host-key.js';
import type { HomeLayout } from './layout.js';

export interface RotateKeyResult {
  host: string;
  /** `x` of the new public key. */
  publicKey: string;
  /** Until when the replaced key is still accepted; null when an interrupted rotation was finished. */
  previousUntil: string | null;
}

const nextKeyPath = (layout: HomeLayout) => join(layout.home, 'host-key.next.json');

async function readIfThere(path: string): Promise<Ed25519PrivateJwk | null> {
  return readHostKey(path).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'NOT_ENROLLED') return null;
    throw err;
  });
}

export async function rotateHostKey(options: { layout: HomeLayout; protectKey?: KeyProtection | undefined; timeoutMs?: number }): Promise<RotateKeyResult> {
  const { layout } = options;
  const protection = options.protectKey ?? {};
  const config = await readAgentConfig(layout.config);
  const current = await readHostKey(layout.hostKey);
  const clientFor = async (key: Ed25519PrivateJwk) =>
    createRelayClient({ relayUrl: config.relayUrl, signer: await tokenSigner(key, config.host, config.relayId), timeoutMs: options.timeoutMs });
  const nextPath = nextKeyPath(layout);

  // A key left by a run whose answer never came: the relay took it if it verifies a token.
  const pending = await readIfThere(nextPath);
  if (pending && pending.x !== current.x) {
    const taken = await (await clientFor(pending)).listHosts().then(
      () => true,
      (err: unknown) => {
        if (err instanceof CrosstalkError && err.code === 'AUTH_INVALID') return false;
        throw err;
      },
    );
    if (taken) {
      await writeHostKey(layout.hostKey, pending, protection);
      await rm(nextPath, { force: true });
      return { host: config.host, publicKey: pending.x, previousUntil: null };
    }
  }

  const { privateJwk, publicJwk } = await generateEd25519();
  await writeHostKey(nextPath, privateJwk, protection);
  let answer: KeyRotatedAnswer;
  try {
    answer = await (await clientFor(current)).rotateHostKey(config.host, { publicKey: publicJwk });
  } catch (err) {
    // Refused (4xx): the new key is of no use. Unanswered or failed: keep it, the next run finds out.
    if (err instanceof CrosstalkError && err.status < 500) await rm(nextPath, { force: true });
    throw err;
  }
  await writeHostKey(layout.hostKey, privateJwk, protection);
  await rm(nextPath, { force: true });
  return { host: config.host, publicKey: publicJwk.x, previousUntil: answer.previousUntil };
}
