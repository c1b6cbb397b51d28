// What counts as a documented answer: an error body `{code, message, hint, details?}` whose code
// is in the catalogue and whose HTTP status is the catalogue's for that code.
import { ERRORS, isErrorCode } from '@crosstalk/core';

export type Verdict =
  | { ok: true; code: string }
  /** The relay accepted a request it should have refused. */
  | { ok: false; kind: 'accepted'; detail: string }
  /** A 5xx: the relay failed on input instead of refusing it. */
  | { ok: false; kind: 'crash'; detail: string }
  | { ok: false; kind: 'undocumented'; detail: string };

const ERROR_KEYS = new Set(['code', 'message', 'hint', 'details']);

/** Checks an error body and says what is wrong with it, or null when it is a documented error. */
export function errorBodyProblem(body: unknown, status?: number): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the answer is not a JSON object';
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).filter((k) => !ERROR_KEYS.has(k));
  if (extra.length > 0) return `unexpected fields ${extra.join(', ')}`;
  if (!isErrorCode(b.code)) return `code ${JSON.stringify(b.code)} is not in the catalogue`;
  if (typeof b.message !== 'string' || b.message === '') return 'no message';
  if (typeof b.hint !== 'string' || b.hint === '') return 'no hint';
  if (b.details !== undefined && (typeof b.details !== 'object' || b.details === null)) return 'details is not an object';
  if (status !== undefined && ERRORS[b.code].status !== status) return `status ${status} but ${b.code} is documented as ${ERRORS[b.code].status}`;
  return null;
}

export function judgeHttp(status: number, contentType: string | null, text: string): Verdict {
  const shown = `${status} ${text.slice(0, 300)}`;
  if (status < 400) return { ok: false, kind: 'accepted', detail: shown };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, kind: status >= 500 ? 'crash' : 'undocumented', detail: `not JSON: ${shown}` };
  }
  const code = (body as { code?: unknown })?.code;
  if (status >= 500) return { ok: false, kind: 'crash', detail: shown };
  if (!contentType?.startsWith('application/json')) return { ok: false, kind: 'undocumented', detail: `content-type ${contentType}: ${shown}` };
  const problem = errorBodyProblem(body, status);
  if (problem) return { ok: false, kind: 'undocumented', detail: `${problem}: ${shown}` };
  return { ok: true, code: String(code) };
}
