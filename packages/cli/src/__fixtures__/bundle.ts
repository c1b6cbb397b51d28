// Reading the built bundle (dist/bundle) the way node loads it, for the tests that hold a hot
// command to what it loads: a chunk and the chunks it imports, found by their import lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLE = new URL('../../dist/bundle/', import.meta.url).pathname;

export const readChunk = (file: string): string => readFileSync(join(BUNDLE, file), 'utf8');

/** Static imports only: what loads with the chunk itself. */
export const STATIC_IMPORTS = /(?:^|[;\n}])\s*import\s*(?:[^"(]*?from\s*)?"\.\/([^"]+\.js)"/g;
/** Static and dynamic imports: everything the chunk may load. */
export const ALL_IMPORTS = /(?:from\s*|import\s*\(?\s*)"\.\/([^"]+\.js)"/g;

/** A chunk and every chunk reachable from it through imports that `pattern` finds. */
export function chunkClosure(entry: string, pattern: RegExp): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readChunk(file).matchAll(pattern)) queue.push(m[1] as string);
  }
  return [...seen];
}

/** The chunk esbuild named after `prefix` (a command's file name). */
export function chunkOf(prefix: string): string {
  const file = readdirSync(BUNDLE).find((f) => new RegExp(`^${prefix}-[A-Z0-9]+\\.js$`).test(f));
  if (!file) throw new Error(`no ${prefix} chunk in the bundle`);
  return file;
}
