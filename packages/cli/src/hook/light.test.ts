// `crosstalk hook` runs on every event of every coding-agent session, so the code it loads is part
// of its contract: the bundle's hook entry and every chunk it imports, read from the built bundle,
// hold no schema library, no JWT library and no key handling.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUNDLE = new URL('../../dist/bundle/', import.meta.url).pathname;
const read = (file: string) => readFileSync(join(BUNDLE, file), 'utf8');
const IMPORTS = /(?:from\s*|import\s*\(?\s*)"\.\/([^"]+\.js)"/g;

/** The chunk bin.js loads for `hook`, and everything it imports, statically or not. */
function hookChunks(): string[] {
  const bin = read('bin.js');
  const entry = /await import\("\.\/(run-[A-Z0-9]+\.js)"\)/.exec(bin)?.[1];
  if (!entry) throw new Error('bin.js imports no hook chunk');
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of read(file).matchAll(IMPORTS)) queue.push(m[1] as string);
  }
  return [...seen];
}

describe('the hook entry point', () => {
  it('loads only its own small modules: no zod, no jose, no key', () => {
    const chunks = hookChunks();
    const text = chunks.map(read).join('\n');
    expect(text).toContain('function runHook');
    expect(text).not.toMatch(/ZodError|\$ZodType/);
    expect(text).not.toMatch(/JWSInvalid|JOSEError/);
    expect(text).not.toMatch(/host-key\.json|privateKey/);
    // A few kilobytes, not the program.
    expect(text.length).toBeLessThan(64 * 1024);
  });
});
