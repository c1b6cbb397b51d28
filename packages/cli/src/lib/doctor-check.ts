// One line of `crosstalk doctor`: ok, warn, fail or skip, what was seen, and what to do. Shared by
// the checks of the relay (doctor-relay.ts) and of this host (doctor-host.ts).
import { CrosstalkError } from '@crosstalk/core';
import { isSystemError } from './system-error.js';

type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do; present for warn and fail. */
  hint?: string;
}

export const ok = (name: string, message: string): Check => ({ name, status: 'ok', message });
export const warn = (name: string, message: string, hint: string): Check => ({ name, status: 'warn', message, hint });
export const fail = (name: string, message: string, hint: string): Check => ({ name, status: 'fail', message, hint });
export const skip = (name: string, message: string): Check => ({ name, status: 'skip', message });

/**
 * What a check reports about an error crosstalk or the system raised; anything else is a bug
 * and is thrown again, so it surfaces instead of reading as a failed check.
 */
export function failure(err: unknown): { message: string; hint: string } {
  if (err instanceof CrosstalkError) return { message: `${err.message} [${err.code}]`, hint: err.hint };
  if (isSystemError(err)) return { message: String(err), hint: 'see the message' };
  throw err;
}
