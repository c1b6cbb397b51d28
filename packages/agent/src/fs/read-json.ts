// Reading one of the agent's own JSON files: absent is an answer (undefined), damaged is an answer
// (null, so the caller's schema refuses it), and a file that is there but cannot be read is an
// error with a code and a hint, never mistaken for either.
import { parseJson, unreadableFile } from '@crosstalk/core';
import { readIfExists } from './read-if-exists.js';

/** Parsed JSON of a file, undefined when it does not exist; a file that is not JSON, or too big, reads as null. */
export async function readJson(path: string, maxBytes: number): Promise<unknown> {
  let buf: Buffer | undefined;
  try {
    buf = await readIfExists(path);
  } catch (err) {
    throw unreadableFile(path, err);
  }
  if (buf === undefined) return undefined;
  if (buf.length > maxBytes) return null;
  return parseJson(buf.toString('utf8')) ?? null;
}
