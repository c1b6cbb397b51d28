// How a closed link ends: most closes are followed by a reconnect, but a revoked host, a
// replacing agent, or a key the relay keeps refusing will not get better by trying again.
import { CLOSE, CrosstalkError } from '@crosstalk/core';

const KEY_REFUSALS = new Set(['AUTH_INVALID', 'HOST_UNKNOWN']);
const MAX_KEY_REFUSALS = 3;

/** Consecutive refusals of this host's key, counting this close's refusal (a close without one resets it). */
export function countKeyRefusals(before: number, refusal: CrosstalkError | null): number {
  return refusal && KEY_REFUSALS.has(refusal.code) ? before + 1 : 0;
}

/** The error that stops the link for good after this close, or null to reconnect. */
export function fatalClose(code: number, reason: string, refusal: CrosstalkError | null, keyRefusals: number): CrosstalkError | null {
  if (code === CLOSE.revoked || refusal?.code === 'HOST_REVOKED') {
    return new CrosstalkError('HOST_REVOKED', `the relay revoked this host${reason ? ` (${reason})` : ''}; the agent stopped`);
  }
  if (code === CLOSE.replaced) {
    return new CrosstalkError('AGENT_REPLACED', 'another agent for this host connected to the relay and replaced this one; the agent stopped', {
      details: { closeCode: code },
    });
  }
  return keyRefusals >= MAX_KEY_REFUSALS ? keyRefused(refusal) : null;
}

function keyRefused(refusal: CrosstalkError | null): CrosstalkError {
  return new CrosstalkError(
    refusal?.code === 'HOST_UNKNOWN' ? 'HOST_UNKNOWN' : 'AUTH_INVALID',
    `the relay refused this host's key ${MAX_KEY_REFUSALS} times in a row (${refusal?.message ?? 'refused'}); the agent stopped`,
    {
      hint: "check the enrollment with `crosstalk doctor`; if the key or the relay's data was replaced, enroll again with a new invite",
    },
  );
}

/** A socket error in a few words: its code, or the start of its message. */
export function describeSocketError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ?? err.message.slice(0, 120);
}
