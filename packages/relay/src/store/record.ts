// One log record per line: `<crc32 of the JSON, 8 lowercase hex> <json>\n`. The checksum covers
// the JSON bytes exactly as written, so any flipped bit in a record is caught at start.
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { openIfPresent } from '../datadir/files.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;
/** Bytes before the JSON: 8 hex digits and a space. */
export const RECORD_PREFIX_BYTES = 9;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** The full line for one serialized event, newline included. The JSON is encoded once, the checksum taken from its bytes. */
export function encodeRecord(json: string): Buffer {
  const bytes = Buffer.byteLength(json, 'utf8');
  const line = Buffer.allocUnsafe(RECORD_PREFIX_BYTES + bytes + 1);
  line.write(json, RECORD_PREFIX_BYTES, bytes, 'utf8');
  line.write(hex8(crc32(line.subarray(RECORD_PREFIX_BYTES, RECORD_PREFIX_BYTES + bytes))), 0, 8, 'latin1');
  line[8] = SPACE;
  line[RECORD_PREFIX_BYTES + bytes] = NEWLINE;
  return line;
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
  const checked = verifyLine(buf, start, end);
  return checked.ok ? { ok: true, json: buf.toString('utf8', start + RECORD_PREFIX_BYTES, end) } : checked;
}

/** checkLine without decoding the JSON, for records that are only checked. */
export function verifyLine(buf: Buffer, start: number, end: number): { ok: true } | { ok: false; reason: string } {
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
  return { ok: true };
}

const SEQ_PREFIX = Buffer.from('{"seq":');

/**
 * Whether `buf` holds `expected` at `at` (the caller checked there is room). A loop, not
 * Buffer.compare: for a few bytes, a call into C++ per record cost more than the comparison.
 */
export function bytesAt(buf: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (buf[at + i] !== expected[i]) return false;
  return true;
}

/**
 * The seq of a checked record read from its first bytes (the relay writes `{"seq":N,` first), or
 * null when the record does not start that way and must be parsed to know.
 */
export function leadingSeq(buf: Buffer, start: number, end: number): number | null {
  const json = start + RECORD_PREFIX_BYTES;
  if (end - json < SEQ_PREFIX.length + 2 || !bytesAt(buf, json, SEQ_PREFIX)) return null;
  let n = 0;
  let i = json + SEQ_PREFIX.length;
  for (; i < end && i - json < 24; i++) {
    const b = buf[i] as number;
    if (b < 0x30 || b > 0x39) break;
    n = n * 10 + (b - 0x30);
  }
  return i > json + SEQ_PREFIX.length && buf[i] === 0x2c && Number.isSafeInteger(n) ? n : null;
}

export { NEWLINE };

/**
 * The record whose line is at `offset` (length `bytes`, newline included) in `file`: its seq and
 * checksum, or null when there is no sound record exactly there.
 */
export async function readRecordAt(file: string, offset: number, bytes: number): Promise<{ seq: number; crc: string } | null> {
  if (bytes < RECORD_PREFIX_BYTES + 3 || bytes > 64 * 1024 * 1024) return null;
  // No log, no record; a log that is there but cannot be opened is no answer to give.
  const fh = await openIfPresent(file);
  if (!fh) return null;
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, offset);
    if (bytesRead !== bytes || buf[bytes - 1] !== NEWLINE) return null;
    // The line must start at `offset`: the byte before it ends the previous line.
    if (offset > 0) {
      const before = Buffer.alloc(1);
      await fh.read(before, 0, 1, offset - 1);
      if (before[0] !== NEWLINE) return null;
    }
    if (!verifyLine(buf, 0, bytes - 1).ok) return null;
    const seq = leadingSeq(buf, 0, bytes - 1);
    return seq === null ? null : { seq, crc: buf.toString('latin1', 0, 8) };
  } finally {
    await fh.close();
  }
}

/**
 * The JSON of every record in bytes [start, end) of an open log, each line checked; a damaged or
 * missing one is `{bad: offset, reason}` (the caller names the file).
 */
export async function readRecordSpan(fh: FileHandle, start: number, end: number): Promise<string[] | { bad: number; reason: string }> {
  const buf = Buffer.allocUnsafe(end - start);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
    if (bytesRead === 0) return { bad: start + got, reason: 'the file is shorter than the records it held' };
    got += bytesRead;
  }
  const out: string[] = [];
  let lineStart = 0;
  while (lineStart < buf.length) {
    const nl = buf.indexOf(NEWLINE, lineStart);
    const line = nl === -1 ? null : checkLine(buf, lineStart, nl);
    if (!line?.ok) return { bad: start + lineStart, reason: line ? line.reason : 'a record lost its line end' };
    out.push(line.json);
    lineStart = nl + 1;
  }
  return out;
}
