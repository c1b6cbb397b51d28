import { CrosstalkError } from './errors.js';
import { LIMITS } from './limits.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 byte length of a JS string, without allocating a buffer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** A string that encodes to valid UTF-8 (no lone surrogates) and holds no NUL. */
export function isValidText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** Checks a turn body or resolution: valid text, not blank, within the byte limit. */
export function checkBody(text: string, what = 'body', maxBytes: number = LIMITS.bodyBytes): string {
  if (!isValidText(text)) throw new CrosstalkError('INVALID_TEXT', `the ${what} is not valid UTF-8 text (it holds NUL or a broken surrogate)`);
  if (text.trim() === '') throw new CrosstalkError('EMPTY_BODY', `the ${what} is empty`);
  const bytes = utf8Length(text);
  if (bytes > maxBytes) {
    throw new CrosstalkError('BODY_TOO_LARGE', `the ${what} is ${bytes} bytes; the limit is ${maxBytes}`, { details: { bytes, limit: maxBytes } });
  }
  return text;
}

// C0 and C1 controls, DEL, bidi controls, zero-width characters, BOM, line/paragraph separators.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** Checks a single-line label such as a topic: valid text, no controls, bounded. */
export function checkLine(text: string, what: string, maxChars: number): string {
  if (!isValidText(text)) throw new CrosstalkError('INVALID_TEXT', `the ${what} is not valid UTF-8 text`);
  const trimmed = text.trim();
  if (trimmed === '') throw new CrosstalkError('INVALID_TEXT', `the ${what} is empty`);
  if ([...trimmed].length > maxChars) throw new CrosstalkError('INVALID_TEXT', `the ${what} is longer than ${maxChars} characters`);
  UNSAFE_CHARS.lastIndex = 0;
  if (UNSAFE_CHARS.test(trimmed)) throw new CrosstalkError('INVALID_TEXT', `the ${what} contains control or invisible characters`);
  return trimmed;
}

/** True when the text holds a control, bidi or invisible character (see UNSAFE_CHARS). */
export function hasUnsafeChars(text: string): boolean {
  UNSAFE_CHARS.lastIndex = 0;
  return UNSAFE_CHARS.test(text);
}

/** Removes every character that could steer a terminal or hide text; collapses whitespace. */
export function stripUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
}
