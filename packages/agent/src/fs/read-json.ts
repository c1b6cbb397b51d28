// Reading one of the agent's own JSON files: absent is an answer (undefined), damaged is an answer
// (null, so the caller's schema refuses it), and a file that is there but cannot be read is an
// error with a code and a hint, never mistaken for either.
import { readFile } from 'node:fs/promises';
import { parseJson, unreadableFile } from '@crosstalk/core';

/** Parsed JSON of a file, undefined when it does not exist; a file that is not JSON, or too big, reads as null. */
export async function readJson(path: string, maxBytes: number): Promise<unknown> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadableFile(path, err);
  }
  if (buf.length > maxBytes) return null;
  return parseJson(buf.toString('utf8')) ?? null;
}
