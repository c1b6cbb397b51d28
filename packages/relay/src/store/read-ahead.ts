// Reading a big file front to back without waiting on the disk between chunks: the next chunk is
// read while the caller checks the current one, into the other of two buffers (allocating one per
// chunk would make the garbage collector chase hundreds of MB). Used by the log scan and the
// snapshot reader.
import type { FileHandle } from 'node:fs/promises';

export class ReadAhead {
  private readonly buffers: [Buffer, Buffer];
  private turn = 0;
  private position: number;
  private pending: Promise<Buffer> | null = null;

  /** Reads [start, end) of the file; `end` defaults to wherever the file ends. */
  constructor(
    private readonly fh: FileHandle,
    private readonly chunkBytes: number,
    start = 0,
    private readonly end = Number.POSITIVE_INFINITY,
  ) {
    this.buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    this.position = start;
  }

  /**
   * The next chunk, empty at the end. It lies in a buffer that the call after next reads into
   * again: copy what must outlive that.
   */
  async next(): Promise<Buffer> {
    const chunk = await (this.pending ?? this.read(this.position));
    this.position += chunk.length;
    this.pending = chunk.length > 0 && this.position < this.end ? this.read(this.position) : null;
    return chunk;
  }

  private read(at: number): Promise<Buffer> {
    const buffer = this.buffers[(this.turn ^= 1)] as Buffer;
    const want = Math.max(0, Math.min(this.chunkBytes, this.end - at));
    const read = this.fh.read(buffer, 0, want, at).then(({ bytesRead }) => buffer.subarray(0, bytesRead));
    // A reader that stops early leaves one read unawaited; the file closes under it, and nobody waits for its answer.
    read.catch(() => undefined);
    return read;
  }
}
