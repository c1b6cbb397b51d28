// Snapshots of the folded state, so that a restart need not parse and fold the whole log. The log
// stays the source of truth: a snapshot names the record it was taken at (seq, byte offset,
// length and checksum), the relay checks that record in the log before trusting the snapshot,
// and folds the records after it as usual. A snapshot that is damaged, from another epoch or does
// not match the log is ignored, never trusted.
//
// Format: one JSON value a line, then a trailer line with what the reader needs first (epoch,
// the record, the length and CRC-32 of everything before the trailer). Lines keep any one string
// small however big the state grows, and let the file be written and read as a stream.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Conversation, Host, Session } from '@crosstalk/core';
import { syncDir } from '../datadir/files.js';
import { readRecordAt } from './record.js';
import { emptyLedgerData, type LedgerData, type ReceiptView } from '../state/fold.js';

export const SNAPSHOT_VERSION = 1;
const KIND = 'crosstalk-relay-snapshot';
const WRITE_CHUNK_BYTES = 1024 * 1024;
const READ_CHUNK_BYTES = 4 * 1024 * 1024;
const IDEMPOTENCY_PER_LINE = 10_000;
const MAX_TRAILER_BYTES = 4096;
/** A line this long is not one of ours. */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

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
  bytes: number;
  checksum: string;
  createdAt: string;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** Writes `data` (folded through `anchor.seq`) to `path`, atomically: temp file, fsync, rename, fsync dir. */
export async function writeSnapshot(path: string, data: LedgerData, epoch: string, anchor: SnapshotAnchor): Promise<{ bytes: number }> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  let crc = 0;
  let bytes = 0;
  let lines = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const buf = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingChars = 0;
    crc = crc32(buf, crc);
    bytes += buf.length;
    let done = 0;
    while (done < buf.length) done += (await fh.write(buf, done, buf.length - done)).bytesWritten;
  };
  const put = async (value: unknown) => {
    const line = `${JSON.stringify(value)}\n`;
    pending.push(line);
    pendingChars += line.length;
    lines++;
    if (pendingChars >= WRITE_CHUNK_BYTES) await flush();
  };
  try {
    const { state } = data;
    await put({ hosts: [...state.hosts.values()] });
    await put({ sessions: [...state.sessions.values()] });
    await put({ invites: [...state.invites] });
    for (const c of state.conversations.values()) await put({ c, t: data.turnSeqs.get(c.id) ?? [] });
    for (const [id, list] of data.receipts) await put({ r: id, v: list });
    let chunk: Array<[string, string, number]> = [];
    for (const [key, v] of state.idempotency) {
      chunk.push([key, v.conversation, v.turn]);
      if (chunk.length === IDEMPOTENCY_PER_LINE) {
        await put({ i: chunk });
        chunk = [];
      }
    }
    if (chunk.length > 0) await put({ i: chunk });
    await flush();
    const trailer: Trailer = { kind: KIND, version: SNAPSHOT_VERSION, epoch, record: anchor, lines, bytes, checksum: hex8(crc), createdAt: new Date().toISOString() };
    const end = Buffer.from(`${JSON.stringify(trailer)}\n`, 'utf8');
    await fh.write(end, 0, end.length, bytes);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await syncDir(dirname(path));
  return { bytes };
}

export type SnapshotRead = { found: false } | { found: true; ignored: string } | { found: true; data: LedgerData; anchor: SnapshotAnchor };

function isAnchor(v: unknown): v is SnapshotAnchor {
  const a = v as SnapshotAnchor;
  return (
    typeof a === 'object' && a !== null &&
    Number.isSafeInteger(a.seq) && a.seq > 0 &&
    Number.isSafeInteger(a.offset) && a.offset >= 0 &&
    Number.isSafeInteger(a.bytes) && a.bytes > 0 &&
    typeof a.crc === 'string' && /^[0-9a-f]{8}$/.test(a.crc)
  );
}

function parseTrailer(text: string): Trailer | null {
  try {
    const t = JSON.parse(text) as Trailer;
    if (t?.kind !== KIND || t.version !== SNAPSHOT_VERSION || typeof t.epoch !== 'string' || !isAnchor(t.record)) return null;
    if (!Number.isSafeInteger(t.lines) || !Number.isSafeInteger(t.bytes) || t.bytes < 0 || typeof t.checksum !== 'string') return null;
    return t;
  } catch {
    return null;
  }
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
    const c = value.c as Conversation;
    if (typeof c?.id !== 'string' || !Array.isArray(c.turns) || !Array.isArray(value.t)) throw new Error('a conversation line is malformed');
    state.conversations.set(c.id, c);
    data.turnSeqs.set(c.id, value.t as number[]);
  } else if (typeof value.r === 'string' && Array.isArray(value.v)) {
    data.receipts.set(value.r, value.v as ReceiptView[]);
  } else if (Array.isArray(value.i)) {
    for (const [key, conversation, turn] of value.i as Array<[string, string, number]>) state.idempotency.set(key, { conversation, turn });
  } else {
    throw new Error('a line of an unknown kind');
  }
}

/**
 * Reads the snapshot at `path` if there is one and it belongs to `epoch`. Says why it is ignored
 * when it is damaged or foreign; the caller still has to check its anchor against the log.
 */
export async function readSnapshot(path: string, epoch: string): Promise<SnapshotRead> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { found: false };
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    const tailBytes = Math.min(size, MAX_TRAILER_BYTES);
    const tail = Buffer.alloc(tailBytes);
    await fh.read(tail, 0, tailBytes, size - tailBytes);
    if (tailBytes === 0 || tail[tailBytes - 1] !== 0x0a) return { found: true, ignored: 'the snapshot is incomplete' };
    const start = tail.lastIndexOf(0x0a, tailBytes - 2) + 1;
    const trailer = parseTrailer(tail.toString('utf8', start, tailBytes - 1));
    if (!trailer) return { found: true, ignored: 'the snapshot has no valid trailer' };
    if (trailer.bytes + (tailBytes - start) !== size) return { found: true, ignored: 'the snapshot has the wrong length' };
    if (trailer.epoch !== epoch) return { found: true, ignored: `the snapshot belongs to epoch ${trailer.epoch}, not ${epoch}` };

    const data = emptyLedgerData();
    let crc = 0;
    let lines = 0;
    let carry: Buffer = Buffer.alloc(0);
    // The next chunk is read while the current one is parsed, into the other of two buffers
    // (allocating one per chunk would make the garbage collector chase hundreds of MB).
    const handle = fh;
    const chunks = [Buffer.allocUnsafe(READ_CHUNK_BYTES), Buffer.allocUnsafe(READ_CHUNK_BYTES)];
    let turn = 0;
    const readAt = (at: number): Promise<Buffer> => {
      const want = Math.min(READ_CHUNK_BYTES, trailer.bytes - at);
      const chunk = chunks[(turn ^= 1)] as Buffer;
      const read = handle.read(chunk, 0, want, at).then(({ bytesRead }) => chunk.subarray(0, bytesRead));
      // A read that stops early leaves one read unawaited.
      read.catch(() => undefined);
      return read;
    };
    let pending = trailer.bytes > 0 ? readAt(0) : null;
    for (let pos = 0; pos < trailer.bytes; ) {
      const got = await (pending as Promise<Buffer>);
      if (got.length === 0) return { found: true, ignored: 'the snapshot is shorter than it says' };
      pos += got.length;
      pending = pos < trailer.bytes ? readAt(pos) : null;
      crc = crc32(got, crc);
      const buf = carry.length === 0 ? got : Buffer.concat([carry, got]);
      let lineStart = 0;
      for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, lineStart)) {
        restoreLine(data, JSON.parse(buf.toString('utf8', lineStart, nl)) as Record<string, unknown>);
        lines++;
        lineStart = nl + 1;
      }
      // Copied: the buffer it lies in is about to be read into again.
      carry = Buffer.from(buf.subarray(lineStart));
      if (carry.length > MAX_LINE_BYTES) return { found: true, ignored: 'the snapshot has a line longer than any of ours' };
    }
    if (carry.length > 0 || lines !== trailer.lines) return { found: true, ignored: 'the snapshot does not hold the lines it says' };
    if (hex8(crc) !== trailer.checksum) return { found: true, ignored: 'the snapshot checksum does not match' };
    data.state.seq = trailer.record.seq;
    return { found: true, data, anchor: trailer.record };
  } catch (err) {
    return { found: true, ignored: `the snapshot cannot be read: ${(err as Error).message.slice(0, 200)}` };
  } finally {
    await fh.close();
  }
}

/** Whether the log holds the record a snapshot names, exactly where and as the snapshot says. */
export async function anchorHolds(logFile: string, anchor: SnapshotAnchor): Promise<boolean> {
  const record = await readRecordAt(logFile, anchor.offset, anchor.bytes);
  return record !== null && record.seq === anchor.seq && record.crc === anchor.crc;
}
