// Stands in for the Windows console helper where kernel32 does not exist. It records its
// arguments and stdin in received.json beside itself, then behaves as behaviour.json says
// (default: report delivered).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let stdin = '';
for await (const chunk of process.stdin) stdin += chunk;
writeFileSync(join(here, 'received.json'), JSON.stringify({ argv: process.argv.slice(2), stdin }));
const file = join(here, 'behaviour.json');
const behaviour = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { stdout: '{"status":"delivered"}\n' };
if (behaviour.hang) setInterval(() => {}, 60_000);
else {
  if (behaviour.stderr) process.stderr.write(behaviour.stderr);
  if (behaviour.stdout) process.stdout.write(behaviour.stdout);
  process.exitCode = behaviour.exitCode ?? 0;
}
