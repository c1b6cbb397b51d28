// Whether `crosstalk` can be found on a PATH: wake-up lines tell coding agents to run it, so a
// session whose shell cannot find it cannot answer.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter as posixDelimiter, join } from 'node:path';
import { isSystemError } from './system-error.js';

export async function findOnPath(command: string, pathEnv: string | undefined, platform: NodeJS.Platform): Promise<string | null> {
  const delimiter = platform === 'win32' ? ';' : posixDelimiter;
  const names = platform === 'win32' ? ['.cmd', '.exe', '.ps1', ''].map((ext) => `${command}${ext}`) : [command];
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir.trim() === '') continue;
    for (const name of names) {
      const candidate = join(dir, name);
      // Missing, not executable, or a PATH entry that is not a directory: not usable there.
      const usable = await access(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK).then(
        () => true,
        (err: unknown) => (isSystemError(err) ? false : Promise.reject(err)),
      );
      if (usable) return candidate;
    }
  }
  return null;
}

export const PATH_HINT = 'put it on PATH: `npm install -g crosstalk-cli` (or `npm link` in packages/cli of a crosstalk checkout)';
