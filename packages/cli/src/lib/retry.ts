// Retrying a post: only when the relay could not be reached or failed on its side, a few times
// with backoff. The caller keeps one idempotency key across attempts, so a post that did land
// before its answer was lost comes back as the original (`duplicate: true`), never twice.
import { randomBytes } from 'node:crypto';
import { CrosstalkError } from '@crosstalk/core/errors';

export function idempotencyKey(): string {
  return randomBytes(18).toString('base64url');
}

export function retryable(err: unknown): boolean {
  return err instanceof CrosstalkError && (err.code === 'RELAY_UNREACHABLE' || err.code === 'SHUTTING_DOWN' || err.code === 'INTERNAL' || err.status >= 500);
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  signal?: AbortSignal;
}

export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const baseMs = options.baseMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !retryable(err) || options.signal?.aborted) throw err;
      const delay = baseMs * 3 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
