// Receipts are about half of a busy log, and folding one needs only its seq and conversation.
// The relay writes every receipt record the same way, `{"seq":N,"type":"receipt","at":"…",
// "receipt":{"session":"…","host":"…","conversation":"…",…}`, with names and a time that hold no
// quote or backslash; so the conversation is read from the record's bytes instead of parsing its
// JSON. A record that does not start exactly so is parsed like any other.
import { bytesAt } from './record.js';

const TYPE = Buffer.from('"type":"receipt","at":"');
const RECEIPT = Buffer.from('","receipt":{"session":"');
const HOST = Buffer.from('","host":"');
const CONVERSATION = Buffer.from('","conversation":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function startsWith(buf: Buffer, at: number, end: number, prefix: Buffer): boolean {
  return end - at >= prefix.length && bytesAt(buf, at, prefix);
}

/** The next quote at or after `from`, before `end` (-1 if none, or a backslash or a non-ASCII byte comes first). */
function quote(buf: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const b = buf[i] as number;
    if (b === QUOTE) return i;
    if (b === BACKSLASH || b >= 0x80) return -1;
  }
  return -1;
}

/**
 * The conversation of the receipt record whose JSON is buf[json, end), when the relay wrote it
 * (see above) and `afterSeq` is where the JSON's `{"seq":N,` ends; null otherwise.
 */
export function receiptConversation(buf: Buffer, afterSeq: number, end: number): string | null {
  if (!startsWith(buf, afterSeq, end, TYPE)) return null;
  const atEnd = quote(buf, afterSeq + TYPE.length, end);
  if (atEnd < 0 || !startsWith(buf, atEnd, end, RECEIPT)) return null;
  const sessionEnd = quote(buf, atEnd + RECEIPT.length, end);
  if (sessionEnd < 0) return null;
  const hostStart = sessionEnd + HOST.length;
  if (!startsWith(buf, sessionEnd, end, HOST)) return null;
  const hostEnd = quote(buf, hostStart, end);
  if (hostEnd < 0 || !startsWith(buf, hostEnd, end, CONVERSATION)) return null;
  const idStart = hostEnd + CONVERSATION.length;
  const idEnd = quote(buf, idStart, end);
  return idEnd > idStart ? buf.toString('latin1', idStart, idEnd) : null;
}
