// Every vitest run starts by building what it tests: the packages resolve each other through
// dist/, the relay's snapshot worker and every end-to-end suite run built files, so without this
// a change to the sources would be tested against old code. Incremental: about a second when
// nothing changed.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export default async function buildFirst(): Promise<void> {
  const r = await execa('npm', ['run', '--silent', 'build'], { cwd: REPO, reject: false, all: true, timeout: 300_000, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`the build failed (npm run build exited ${r.exitCode ?? 'on a signal'}), so nothing was tested:\n${r.all ?? ''}`);
}
