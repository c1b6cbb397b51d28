// A simulated power cut for files written through node:fs/promises file handles in this process.
// For each watched file it keeps the bytes as of the last completed fsync (snapshotted when the
// fsync was asked for: what was written before it is on disk once it returns). A cut keeps those
// bytes plus an arbitrary prefix of whatever was written after them, which is all a disk
// promises about data that was never synced.
import { open, type FileHandle } from 'node:fs/promises';
import { readFileSync, readlinkSync } from 'node:fs';

type Method = (this: FileHandle, ...args: any[]) => Promise<any>;

interface Watched {
  /** Content the disk is known to hold. */
  durable: Buffer;
  syncs: number;
}

export interface CutImage {
  bytes: Buffer;
  durableBytes: number;
  /** Written but never synced, at the moment of the cut. */
  pendingBytes: number;
}

export class PowerCutFs {
  private readonly watched = new Map<string, Watched>();
  /** Per handle (not per fd: a number is reused once its file is closed, by whatever means). */
  private readonly paths = new WeakMap<FileHandle, string | null>();
  private saved: Record<string, Method> | null = null;
  private proto: Record<string, Method> | null = null;
  /** Synced bytes that changed later: an append-only log must never do that. */
  readonly rewrites: string[] = [];

  constructor(private readonly watch: (path: string) => boolean) {}

  /** Patches the FileHandle methods that write and sync. */
  async install(): Promise<void> {
    const probe = await open(process.execPath, 'r');
    const proto = Object.getPrototypeOf(probe) as Record<string, Method>;
    await probe.close();
    const saved = { write: proto.write!, datasync: proto.datasync!, sync: proto.sync! };
    this.saved = saved;
    this.proto = proto;
    const self = this;
    proto.write = function (this: FileHandle, ...args: any[]) {
      self.track(this);
      return saved.write.apply(this, args);
    };
    const syncing = (original: Method): Method =>
      function (this: FileHandle, ...args: any[]) {
        const path = self.track(this);
        const snapshot = path === null ? null : readFileSync(path);
        return original.apply(this, args).then((value: unknown) => {
          if (path !== null && snapshot !== null) self.synced(path, snapshot);
          return value;
        });
      };
    proto.datasync = syncing(saved.datasync);
    proto.sync = syncing(saved.sync);
  }

  uninstall(): void {
    if (this.proto && this.saved) Object.assign(this.proto, this.saved);
    this.proto = null;
    this.saved = null;
  }

  /** The watched path behind a handle; the first sight of a file takes its content as durable. */
  private track(fh: FileHandle): string | null {
    let path = this.paths.get(fh);
    if (path === undefined) {
      try {
        path = readlinkSync(`/proc/self/fd/${fh.fd}`);
      } catch {
        path = null;
      }
      if (path !== null && !this.watch(path)) path = null;
      this.paths.set(fh, path);
      if (path !== null && !this.watched.has(path)) this.watched.set(path, { durable: readFileSync(path), syncs: 0 });
    }
    return path;
  }

  private synced(path: string, snapshot: Buffer): void {
    const w = this.watched.get(path);
    if (!w) return;
    const keep = Math.min(w.durable.length, snapshot.length);
    if (!snapshot.subarray(0, keep).equals(w.durable.subarray(0, keep))) this.rewrites.push(path);
    w.durable = snapshot;
    w.syncs++;
  }

  syncs(path: string): number {
    return this.watched.get(path)?.syncs ?? 0;
  }

  /** What `path` holds after a power cut now; `pick(n)` chooses how many unsynced bytes survive (0..n). */
  cut(path: string, pick: (pending: number) => number): CutImage {
    const current = readFileSync(path);
    const durable = this.watched.get(path)?.durable ?? current;
    if (!current.subarray(0, durable.length).equals(durable)) this.rewrites.push(path);
    const pending = Math.max(0, current.length - durable.length);
    const kept = Math.max(0, Math.min(pending, pick(pending)));
    return { bytes: Buffer.concat([durable, current.subarray(durable.length, durable.length + kept)]), durableBytes: durable.length, pendingBytes: pending };
  }
}
