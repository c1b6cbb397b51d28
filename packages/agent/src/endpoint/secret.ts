// The agent's endpoint secret: random bytes in a user-only file of the home (`agent.secret`, 0600).
// A client reads it and asks the agent to prove it holds the same (core's agentProof) before it
// hands over a post: a named pipe's name can be guessed, and the proof makes sure the process
// behind it belongs to the user, not to anyone who took the name first. On Windows the file
// mode means nothing, so the file gets the host key's owner-only ACL (icacls) instead.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { type KeyProtection, protectHostKey } from '../home/host-key.js';

const VALID = /^[0-9a-f]{64}$/;

/**
 * The secret in `path`, made first when there is none (or a damaged one). `protect` is applied at
 * every start, so a file written before it was known (or copied in with open ACLs) is fixed too.
 */
export async function ensureEndpointSecret(path: string, protect: KeyProtection = {}): Promise<string> {
  const existing = await readFile(path, 'utf8').then(
    (t) => t.trim(),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    },
  );
  if (VALID.test(existing)) {
    await protectHostKey(path, protect);
    return existing;
  }
  const secret = randomBytes(32).toString('hex');
  await atomicWriteFile(path, `${secret}\n`, { mode: 0o600 });
  await protectHostKey(path, protect);
  return secret;
}
