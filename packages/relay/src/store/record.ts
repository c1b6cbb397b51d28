// One log record per line: `<crc32 of the JSON, 8 lowercase hex> <json>\n`. The checksum covers
// the JSON bytes exactly as written, so any flipped bit in a record is caught at start.
import { crc32 } from 'node:zlib';

const NEWLINE = 0x0a;
const SPACE = 0x20;
/** Bytes before the JSON: 8 hex digits and a space. */
export const RECORD_PREFIX_BYTES = 9;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** The full line for one serialized event, newline included. */
export function encodeRecord(json: string): Buffer {
  return Buffer.from(`${hex8(crc32(json))} ${json}\n`, 'utf8');
}

export type LineCheck = { ok: true; json: string } | { ok: false; reason: string };

function isLowerHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66);
}

/**
 * Checks one line (`end` excludes the newline) and returns its JSON text. Only lowercase hex is
 * accepted, so a bit flip that changes the case of a digit is caught like any other.
 */
export function checkLine(buf: Buffer, start: number, end: number): LineCheck {
  if (end - start < RECORD_PREFIX_BYTES + 2) return { ok: false, reason: 'the line is too short to be a record' };
  let stored = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[start + i] as number;
    if (!isLowerHex(b)) return { ok: false, reason: 'the checksum field is not 8 lowercase hex digits' };
    stored = stored * 16 + (b <= 0x39 ? b - 0x30 : b - 0x61 + 10);
  }
  if (buf[start + 8] !== SPACE) return { ok: false, reason: 'the checksum is not followed by a space' };
  const actual = crc32(buf.subarray(start + RECORD_PREFIX_BYTES, end)) >>> 0;
  if (actual !== stored) return { ok: false, reason: `checksum mismatch (stored ${hex8(stored)}, computed ${hex8(actual)})` };
  return { ok: true, json: buf.toString('utf8', start + RECORD_PREFIX_BYTES, end) };
}

export { NEWLINE };
