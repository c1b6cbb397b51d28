// `crosstalk reply` (and open, moderate, close) run on every turn of every session; through the
// agent they load no schema library, no JWT library and no key. Read from the built bundle: the
// chunks bin.js loads for the program, and the command's chunk with everything it imports
// statically (the direct way to the relay, with its key and schemas, is imported only when taken).
import { describe, expect, it } from 'vitest';
import { chunkClosure, chunkOf, readChunk as read, STATIC_IMPORTS } from '../__fixtures__/bundle.js';

const staticClosure = (entry: string) => chunkClosure(entry, STATIC_IMPORTS);

describe('the posting commands, through the agent', () => {
  it.each(['reply', 'open', 'moderate', 'close'])('%s loads no zod, no jose, no key', (command) => {
    const bin = read('bin.js');
    // What bin.js loads for any command but help and hook: the program and the context.
    expect(bin).toMatch(new RegExp(`import\\("\\./(${chunkOf('main')})"\\)`));
    const chunks = new Set([...staticClosure(chunkOf('main')), ...staticClosure(chunkOf('context')), ...staticClosure(chunkOf(command))]);
    const text = [...chunks].map(read).join('\n');
    expect(text).toContain('crosstalk-agent-proof');
    expect(text).not.toMatch(/ZodError|\$ZodType/);
    expect(text).not.toMatch(/JWSInvalid|JOSEError/);
    // Key handling: reading the key file, making a key object, signing (the program's help text may
    // name host-key.json, which loads nothing).
    expect(text).not.toMatch(/createPrivateKey|privateKey|"host-key\.json"|'host-key\.json'/);
  });
});
