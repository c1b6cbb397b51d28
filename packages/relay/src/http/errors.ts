// Turning anything that goes wrong into the wire error shape `{code, message, hint, details?}`.
import { CrosstalkError } from '@crosstalk/core';
import type * as z from 'zod';

const ISSUES_SHOWN = 5;

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the body' : path.map(String).join('.');
}

/** The first problem zod found, as the most specific error code that fits. */
export function fromZod(error: z.ZodError, what = 'request body'): CrosstalkError {
  const issues = error.issues;
  const details = { issues: issues.slice(0, ISSUES_SHOWN).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  // A record key's own problems sit one level down.
  const isNameIssue = (i: z.core.$ZodIssue) => i.message === 'invalid name' || (i.code === 'invalid_key' && i.issues.some((k) => k.message === 'invalid name'));
  const nameIssue = issues.find(isNameIssue);
  const first = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (!first) return new CrosstalkError('INVALID_REQUEST', `the ${what} is not valid`);
  if (first.code === 'unrecognized_keys') {
    const keys = first.keys.slice(0, ISSUES_SHOWN).map((k) => JSON.stringify(k.slice(0, 64)));
    return new CrosstalkError(
      'INVALID_REQUEST',
      `unknown field ${keys.join(', ')} in the ${what}${first.path.length > 0 ? ` at ${describePath(first.path)}` : ''}`,
      { details },
    );
  }
  // A name that is too long or malformed is a name problem, whatever check caught it first.
  if (nameIssue && describePath(nameIssue.path) === describePath(first.path)) {
    return new CrosstalkError('INVALID_NAME', `${describePath(first.path)} is not a valid name`, { details });
  }
  if (first.message === 'invalid text')
    return new CrosstalkError('INVALID_TEXT', `${describePath(first.path)} is not valid UTF-8 text without NUL`, { details });
  if (first.code === 'too_big' && first.path.length === 1 && first.path[0] === 'body') {
    return new CrosstalkError('BODY_TOO_LARGE', 'the turn body is larger than 64 KiB', { details });
  }
  if (first.code === 'invalid_type' && /received undefined$/.test(first.message)) {
    return new CrosstalkError('INVALID_REQUEST', `${describePath(first.path)} is required`, { details });
  }
  return new CrosstalkError('INVALID_REQUEST', `${describePath(first.path)}: ${first.message}`, { details });
}
