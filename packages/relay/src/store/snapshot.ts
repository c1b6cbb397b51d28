// Snapshots of the folded state, so that a restart need not parse and fold the whole log. The log
// stays the source of truth: a snapshot names the record it was taken at (seq, byte offset,
// length and checksum), the relay checks that record in the log before trusting the snapshot,
// and folds the records after it as usual. A snapshot that is damaged, from another epoch or does
// not match the log is ignored, never trusted.
//
// Format: one JSON value a line, then a trailer line with what the reader needs first (epoch,
// the record, the length of the lines) and, last, a CRC-32 of every byte of the file before the
// checksum's own digits: the lines and the trailer too, so no byte of the file can change unseen
// (a trailer field nothing else checks, like createdAt, would otherwise take a flip silently).
// Lines keep any one string small however big the state grows, and let the file be written and
// read as a stream. A snapshot holds no turn body, as the state holds none: per turn, the seq of
// its record, its author and whom it named next.
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { crc32 } from 'node:zlib';
import { parseJson, type Host, type Session } from '@crosstalk/core';
import { openIfPresent, replaceAtomically } from '../datadir/files.js';
import { ReadAhead } from './read-ahead.js';
import { readRecordAt } from './record.js';
import type { EntryLine } from '../state/conversations.js';
import { emptyLedgerData, type LedgerData, type LogReaders } from '../state/fold.js';
import type { RecentPost } from '../state/usage.js';

/**
 * 2: the checksum covers the trailer as well (in 1 it covered only the lines). 3: conversations
 * without turn bodies, receipts as seqs, each host's turn bytes. An older one is ignored, and the
 * whole log folded instead.
 */
const SNAPSHOT_VERSION = 3;
const KIND = 'crosstalk-relay-snapshot';
const WRITE_CHUNK_BYTES = 1024 * 1024;
const READ_CHUNK_BYTES = 4 * 1024 * 1024;
const IDEMPOTENCY_PER_LINE = 10_000;
const MAX_TRAILER_BYTES = 4096;
/** A line this long is not one of ours. */
const MAX_LINE_BYTES = 256 * 1024 * 1024;
/** The trailer's last field; the checksum covers every byte before its digits. */
const CHECKSUM_KEY = ',"checksum":"';
/** The checksum's digits and what closes the trailer: the only bytes the checksum does not cover. */
const CHECKSUM_END = /,"checksum":"([0-9a-f]{8})"\}$/;
const UNCOVERED_BYTES = 8 + '"}'.length;

/** The log record a snapshot was taken at. */
export interface SnapshotAnchor {
  seq: number;
  /** Byte offset of the record's line in the log, and its length with the newline. */
  offset: number;
  bytes: number;
  /** The record's checksum as the log stores it (8 lowercase hex digits). */
  crc: string;
}

interface Trailer {
  kind: typeof KIND;
  version: number;
  epoch: string;
  record: SnapshotAnchor;
  lines: number;
  /** Bytes of the lines, before the trailer. */
  bytes: number;
  createdAt: string;
  /** Last, so that the bytes it covers end where its digits begin. */
  checksum: string;
}

/** A trailer as read: the checksum its line ends with, and the bytes of the line it covers. */
interface ReadTrailer extends Trailer {
  covered: Buffer;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** Serialises lines, keeping the running length and CRC-32 the trailer records, writing about a MiB at a time. */
class LineWriter {
  crc = 0;
  bytes = 0;
  lines = 0;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly fh: FileHandle) {}

  async put(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    this.pending.push(line);
    this.pendingChars += line.length;
    this.lines++;
    if (this.pendingChars >= WRITE_CHUNK_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    this.crc = crc32(buf, this.crc);
    this.bytes += buf.length;
    let done = 0;
    while (done < buf.length) done += (await this.fh.write(buf, done, buf.length - done)).bytesWritten;
  }
}

/** The snapshot's lines in order: hosts, sessions, invites, each conversation, each receipt list, turn bytes, the idempotency index in chunks. */
function* snapshotLines(data: LedgerData): Generator<unknown> {
  const { state } = data;
  yield { hosts: [...state.hosts.values()] };
  yield { sessions: [...state.sessions.values()] };
  yield { invites: [...state.invites] };
  for (const e of data.conversations.allEntries()) yield data.conversations.line(e);
  for (const [id, list] of data.receipts) yield { r: id, v: list };
  if (data.purge.size > 0) yield { d: [...data.purge] };
  yield { u: [...data.usage.stored], p: data.usage.recent };
  yield { k: data.idempotency.seed };
  // Flat: hash, seq, hash, seq…
  let chunk: number[] = [];
  for (const [hash, seq] of data.idempotency.pairs()) {
    chunk.push(hash, seq);
    if (chunk.length === 2 * IDEMPOTENCY_PER_LINE) {
      yield { i: chunk };
      chunk = [];
    }
  }
  if (chunk.length > 0) yield { i: chunk };
}

/** Writes every line and then the trailer into `fh`, and syncs it; the bytes before the trailer. */
async function writeContents(fh: FileHandle, data: LedgerData, epoch: string, anchor: SnapshotAnchor): Promise<number> {
  const out = new LineWriter(fh);
  for (const line of snapshotLines(data)) await out.put(line);
  await out.flush();
  const fields: Omit<Trailer, 'checksum'> = {
    kind: KIND,
    version: SNAPSHOT_VERSION,
    epoch,
    record: anchor,
    lines: out.lines,
    bytes: out.bytes,
    createdAt: new Date().toISOString(),
  };
  // The trailer up to the checksum's digits is checksummed with the lines, so its fields are too.
  const covered = Buffer.from(`${JSON.stringify(fields).slice(0, -1)}${CHECKSUM_KEY}`, 'utf8');
  const end = Buffer.concat([covered, Buffer.from(`${hex8(crc32(covered, out.crc))}"}\n`, 'utf8')]);
  await fh.write(end, 0, end.length, out.bytes);
  return out.bytes;
}

/** Writes `data` (folded through `anchor.seq`) to `path`, atomically: temp file, fsync, rename, fsync dir. */
export async function writeSnapshot(path: string, data: LedgerData, epoch: string, anchor: SnapshotAnchor): Promise<{ bytes: number }> {
  const tmpName = `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`;
  const bytes = await replaceAtomically(path, tmpName, 0o600, (fh) => writeContents(fh, data, epoch, anchor));
  return { bytes };
}

export type SnapshotRead = { found: false } | { found: true; ignored: string } | { found: true; data: LedgerData; anchor: SnapshotAnchor };

function isAnchor(v: unknown): v is SnapshotAnchor {
  const a = v as SnapshotAnchor;
  return (
    typeof a === 'object' &&
    a !== null &&
    Number.isSafeInteger(a.seq) &&
    a.seq > 0 &&
    Number.isSafeInteger(a.offset) &&
    a.offset >= 0 &&
    Number.isSafeInteger(a.bytes) &&
    a.bytes > 0 &&
    typeof a.crc === 'string' &&
    /^[0-9a-f]{8}$/.test(a.crc)
  );
}

/** The trailer in `line` (without its newline), or why it is not one this relay can read. */
function parseTrailer(line: Buffer): ReadTrailer | string {
  const invalid = 'the snapshot has no valid trailer';
  const t = parseJson(line.toString('utf8')) as Trailer | null | undefined;
  if (t?.kind !== KIND) return invalid;
  if (t.version !== SNAPSHOT_VERSION) return `the snapshot has format version ${String(t.version)}, not ${SNAPSHOT_VERSION}`;
  if (typeof t.epoch !== 'string' || !isAnchor(t.record)) return invalid;
  if (!Number.isSafeInteger(t.lines) || !Number.isSafeInteger(t.bytes) || t.bytes < 0) return invalid;
  // Read from the bytes, not the parsed value: the checksum must be exactly the line's last field.
  const end = CHECKSUM_END.exec(line.toString('latin1'));
  if (!end) return invalid;
  return { ...t, checksum: end[1] as string, covered: line.subarray(0, line.length - UNCOVERED_BYTES) };
}

/** Folds one snapshot line into `data`; throws on anything that is not a line of ours. */
function restoreLine(data: LedgerData, value: Record<string, unknown>): void {
  const { state } = data;
  if (Array.isArray(value.hosts)) {
    for (const h of value.hosts as Host[]) state.hosts.set(h.name, h);
  } else if (Array.isArray(value.sessions)) {
    for (const s of value.sessions as Session[]) state.sessions.set(s.name, s);
  } else if (Array.isArray(value.invites)) {
    for (const [id, invite] of value.invites as Array<[string, typeof state.invites extends Map<string, infer V> ? V : never]>) state.invites.set(id, invite);
  } else if (value.c !== undefined) {
    const { c, s, a, x, h, l, b } = value as { c: EntryLine['c']; s: unknown; a: unknown; x: unknown; h: unknown; l: unknown; b: unknown };
    const turnLists = Array.isArray(s) && Array.isArray(a) && Array.isArray(x) && s.length === a.length && s.length === x.length && s.length > 0;
    if (typeof c?.id !== 'string' || !turnLists || typeof h !== 'string' || typeof l !== 'string' || !Array.isArray(b))
      throw new Error('a conversation line is malformed');
    data.conversations.restore({ c, s: s as number[], a: a as string[], x: x as string[][], h, l, b: b as Array<string | number> });
  } else if (typeof value.r === 'string' && Array.isArray(value.v)) {
    data.receipts.set(value.r, value.v as number[]);
  } else if (Array.isArray(value.u) && Array.isArray(value.p)) {
    data.usage.restore(value.u as Array<[string, number]>, value.p as RecentPost[]);
  } else if (typeof value.k === 'number') {
    data.idempotency.restoreSeed(value.k);
  } else if (Array.isArray(value.d)) {
    for (const id of value.d as string[]) data.purge.add(id);
  } else if (Array.isArray(value.i)) {
    data.idempotency.restore(value.i as unknown[]);
  } else {
    throw new Error('a line of an unknown kind');
  }
}

type Ignored = { found: true; ignored: string };
const ignored = (why: string): Ignored => ({ found: true, ignored: why });

/** The trailer at the end of the file, checked against the file's size and the relay's epoch. */
async function readTrailer(fh: FileHandle, epoch: string): Promise<ReadTrailer | Ignored> {
  const size = (await fh.stat()).size;
  const tailBytes = Math.min(size, MAX_TRAILER_BYTES);
  const tail = Buffer.alloc(tailBytes);
  await fh.read(tail, 0, tailBytes, size - tailBytes);
  if (tailBytes === 0 || tail[tailBytes - 1] !== 0x0a) return ignored('the snapshot is incomplete');
  const start = tail.lastIndexOf(0x0a, tailBytes - 2) + 1;
  const trailer = parseTrailer(tail.subarray(start, tailBytes - 1));
  if (typeof trailer === 'string') return ignored(trailer);
  if (trailer.bytes + (tailBytes - start) !== size) return ignored('the snapshot has the wrong length');
  if (trailer.epoch !== epoch) return ignored(`the snapshot belongs to epoch ${trailer.epoch}, not ${epoch}`);
  return trailer;
}

/** Folds every line before the trailer into fresh ledger data, checking their count and the checksum. */
async function readLines(fh: FileHandle, trailer: ReadTrailer, readers: LogReaders | undefined): Promise<SnapshotRead> {
  const data = emptyLedgerData(readers);
  let crc = 0;
  let lines = 0;
  let carry: Buffer = Buffer.alloc(0);
  const reader = new ReadAhead(fh, READ_CHUNK_BYTES, 0, trailer.bytes);
  for (let pos = 0; pos < trailer.bytes; ) {
    const got = await reader.next();
    if (got.length === 0) return ignored('the snapshot is shorter than it says');
    pos += got.length;
    crc = crc32(got, crc);
    const buf = carry.length === 0 ? got : Buffer.concat([carry, got]);
    let lineStart = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, lineStart)) {
      const value = parseJson(buf.toString('utf8', lineStart, nl));
      if (typeof value !== 'object' || value === null) return ignored(`line ${lines + 1} of the snapshot is not a JSON object`);
      restoreLine(data, value as Record<string, unknown>);
      lines++;
      lineStart = nl + 1;
    }
    // Copied: the buffer it lies in is about to be read into again.
    carry = Buffer.from(buf.subarray(lineStart));
    if (carry.length > MAX_LINE_BYTES) return ignored('the snapshot has a line longer than any of ours');
  }
  if (carry.length > 0 || lines !== trailer.lines) return ignored('the snapshot does not hold the lines it says');
  if (hex8(crc32(trailer.covered, crc)) !== trailer.checksum) return ignored('the snapshot checksum does not match');
  data.state.seq = trailer.record.seq;
  return { found: true, data, anchor: trailer.record };
}

/**
 * Reads the snapshot at `path` if there is one and it belongs to `epoch`. Says why it is ignored
 * when it is damaged or foreign; the caller still has to check its anchor against the log.
 */
export async function readSnapshot(path: string, epoch: string, readers?: LogReaders): Promise<SnapshotRead> {
  const fh = await openIfPresent(path);
  if (!fh) return { found: false };
  try {
    const trailer = await readTrailer(fh, epoch);
    return 'ignored' in trailer ? trailer : await readLines(fh, trailer, readers);
  } catch (err) {
    // A snapshot only spares work: whatever stops it being read (a line of an unknown kind, a
    // failed read), the whole log is folded instead, and the caller logs why.
    return ignored(`the snapshot cannot be read: ${(err as Error).message.slice(0, 200)}`);
  } finally {
    await fh.close();
  }
}

/** Whether the log holds the record a snapshot names, exactly where and as the snapshot says. */
export async function anchorHolds(logFile: string, anchor: SnapshotAnchor): Promise<boolean> {
  const record = await readRecordAt(logFile, anchor.offset, anchor.bytes);
  return record !== null && record.seq === anchor.seq && record.crc === anchor.crc;
}
