// A turn's body: from --body, --body-file (`-` is stdin) or stdin when it is not a terminal.
// Read with a bound, so an endless pipe cannot exhaust memory, and checked before anything is sent.
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { checkBody, CrosstalkError, LIMITS } from '@crosstalk/core/light';
import type { CliContext } from '../handler.js';

const LIMIT = LIMITS.bodyBytes;

function tooLarge(where: string, bytes?: number): CrosstalkError {
  const size = bytes === undefined ? `more than ${LIMIT} bytes` : `${bytes} bytes`;
  return new CrosstalkError('BODY_TOO_LARGE', `the body from ${where} is ${size}; the limit is ${LIMIT}`, { details: { limit: LIMIT } });
}

function decode(bytes: Buffer, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    // A fatal decoder throws a TypeError for bytes that are not UTF-8.
    if (!(err instanceof TypeError)) throw err;
    throw new CrosstalkError('INVALID_TEXT', `the body from ${where} is not valid UTF-8`);
  }
}

/** Reads a stream up to LIMIT bytes; one byte more and it stops reading and refuses. */
async function readBounded(stream: Readable, where: string, limit = LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > limit) {
      stream.destroy();
      throw tooLarge(where);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

async function readFileBounded(path: string): Promise<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CrosstalkError('INVALID_REQUEST', `cannot read --body-file ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`, {
      hint: 'check the path, or pass the text on stdin',
    });
  }
  try {
    const { size } = await fh.stat();
    if (size > LIMIT) throw tooLarge(path, size);
    const buf = Buffer.alloc(LIMIT + 1);
    const { bytesRead } = await fh.read(buf, 0, LIMIT + 1, 0);
    if (bytesRead > LIMIT) throw tooLarge(path);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export interface BodyOptions {
  readonly body?: string | undefined;
  readonly bodyFile?: string | undefined;
}

/** The body text, checked like the relay checks it (UTF-8, not empty, at most 64 KiB). */
export async function readBody(ctx: Pick<CliContext, 'stdin' | 'cwd'>, options: BodyOptions): Promise<string> {
  if (options.body !== undefined && options.bodyFile !== undefined) {
    throw new CrosstalkError('INVALID_REQUEST', 'pass either --body or --body-file, not both');
  }
  let text: string;
  if (options.body !== undefined) {
    text = options.body;
  } else if (options.bodyFile !== undefined) {
    text =
      options.bodyFile === '-'
        ? decode(await readBounded(ctx.stdin, 'stdin'), 'stdin')
        : decode(await readFileBounded(resolve(ctx.cwd, options.bodyFile)), options.bodyFile);
  } else if (ctx.stdin.isTTY) {
    throw new CrosstalkError('EMPTY_BODY', 'no body: stdin is a terminal and neither --body nor --body-file was given');
  } else {
    text = decode(await readBounded(ctx.stdin, 'stdin'), 'stdin');
  }
  return checkBody(text);
}
