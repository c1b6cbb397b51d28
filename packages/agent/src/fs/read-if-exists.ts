// A file that may not be there: its absence is an answer, any other failure is not.
import { readFile } from 'node:fs/promises';

/** The file's bytes, or undefined when there is no such file; any other error is thrown. */
export async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
