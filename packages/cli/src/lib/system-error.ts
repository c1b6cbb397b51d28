// Telling the errors the system reports (a file, a socket, a key: they carry a code such as
// ENOENT) from bugs, so a catch can take only what it expects and let the rest surface.
import { CrosstalkError } from '@crosstalk/core/light';

/** An error Node raised about the system, with its code (ENOENT, EACCES, ERR_CRYPTO_…). */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  return err instanceof Error && !(err instanceof CrosstalkError) && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** The file or directory is not there. */
export function isMissing(err: unknown): boolean {
  return isSystemError(err) && err.code === 'ENOENT';
}
