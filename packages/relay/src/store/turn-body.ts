// Folding a turn needs who wrote it, whom it hands the floor and how many bytes its body weighs,
// never the body's text; a body is most of its record. So the fold finds the body in the record's
// bytes, counts its UTF-8 bytes there, and parses the record with the body's text cut out: no body
// string is made, and the garbage collector is not kept busy with a copy of every body at start.
// A record this does not understand is parsed whole, as before.
import { bytesAt } from './record.js';

const TURN_POSTED = Buffer.from('"type":"turn.posted",');
const OPENED = Buffer.from('"type":"conversation.opened",');
const BODY_KEY = Buffer.from('"body":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export interface BodySpan {
  /** Offsets of the body's text, between its quotes. */
  start: number;
  end: number;
  /** UTF-8 bytes of the body once its escapes are decoded. */
  bytes: number;
}

/**
 * Where the body of the turn record buf[afterSeq, end) lies (`afterSeq` is just past its
 * `{"seq":N,`), when it is a `turn.posted` or `conversation.opened` record; null otherwise, or
 * when the body holds a `\u` escape or a raw control byte, which no JSON writer leaves (the caller
 * then parses the record whole, and JSON.parse judges it).
 */
export function turnBodySpan(buf: Buffer, afterSeq: number, end: number): BodySpan | null {
  const kind = end - afterSeq > OPENED.length && (bytesAt(buf, afterSeq, TURN_POSTED) || bytesAt(buf, afterSeq, OPENED));
  if (!kind) return null;
  // A quote inside a string is always escaped, so the first `"body":"` is a key: the turn's (the
  // caller checks the parsed record has an empty body where the turn's was).
  const key = buf.indexOf(BODY_KEY, afterSeq);
  if (key < 0 || key >= end) return null;
  const start = key + BODY_KEY.length;
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === QUOTE) return { start, end: i, bytes };
    if (b < 0x20) return null;
    if (b === BACKSLASH) {
      // \" \\ \/ \b \f \n \r \t each stand for one byte; \uXXXX is left to JSON.parse.
      if (buf[i + 1] === 0x75) return null;
      i++;
    }
    // A multi-byte character is written as its UTF-8 bytes: each counts once.
    bytes++;
  }
  return null;
}

/**
 * Whether a record parsed with its body cut out has the turn's body as the empty string (so the
 * cut was the turn's body) and proposes nothing (a proposal's text may be the body's, and its
 * bytes then count once: the whole record tells).
 */
export function elidedTurnHolds(event: { type: string }): boolean {
  const e = event as { turn?: { body?: unknown; proposes?: unknown }; conversation?: { turns?: Array<{ body?: unknown; proposes?: unknown }> } };
  const turn = event.type === 'turn.posted' ? e.turn : e.conversation?.turns?.[0];
  return turn !== undefined && turn !== null && turn.body === '' && turn.proposes === undefined;
}
