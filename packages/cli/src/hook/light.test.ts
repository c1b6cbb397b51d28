// `crosstalk hook` runs on every event of every coding-agent session, so the code it loads is part
// of its contract: the bundle's hook entry and every chunk it imports, read from the built bundle,
// hold no schema library, no JWT library and no key handling.
import { describe, expect, it } from 'vitest';
import { ALL_IMPORTS, chunkClosure, readChunk as read } from '../__fixtures__/bundle.js';

/** The chunk bin.js loads for `hook`, and everything it imports, statically or not. */
function hookChunks(): string[] {
  const entry = /await import\("\.\/(run-[A-Z0-9]+\.js)"\)/.exec(read('bin.js'))?.[1];
  if (!entry) throw new Error('bin.js imports no hook chunk');
  return chunkClosure(entry, ALL_IMPORTS);
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
