// The agent's endpoint secret: random bytes in a user-only file of the home (`agent.secret`, 0600).
// A client reads it and asks the agent to prove it holds the same (core's agentProof) before it
// hands over a post: a named pipe's name can be guessed, and the proof makes sure the process
// behind it belongs to the user, not to anyone who took the name first.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { atomicWriteFile } from '../fs/atomic-write.js';

const VALID = /^[0-9a-f]{64}$/;

/** The secret in `path`, made first when there is none (or a damaged one). */
export async function ensureEndpointSecret(path: string): Promise<string> {
  const existing = await readFile(path, 'utf8').then(
    (t) => t.trim(),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    },
  );
  if (VALID.test(existing)) return existing;
  const secret = randomBytes(32).toString('hex');
  await atomicWriteFile(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
