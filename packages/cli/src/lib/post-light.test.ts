// `crosstalk reply` (and open, moderate, close) run on every turn of every session; through the
// agent they load no schema library, no JWT library, no key, and — by the fast entry, one file
// that holds them — not the program's command-line parser either. Read from the built bundle:
// fast.js, and the chunks bin.js loads for the program with the command's chunk and everything
// they import statically (the direct way to the relay, with its key and schemas, is imported
// only when taken).
import { describe, expect, it } from 'vitest';
import { chunkClosure, chunkOf, readChunk as read, STATIC_IMPORTS } from '../__fixtures__/bundle.js';

const staticClosure = (entry: string) => chunkClosure(entry, STATIC_IMPORTS);

function textOf(chunks: Iterable<string>): string {
  return [...new Set(chunks)].map(read).join('\n');
}

function expectLight(text: string): void {
  expect(text).toContain('crosstalk-agent-proof');
  expect(text).not.toMatch(/ZodError|\$ZodType/);
  expect(text).not.toMatch(/JWSInvalid|JOSEError/);
  // Key handling: reading the key file, making a key object, signing (the program's help text may
  // name host-key.json, which loads nothing).
  expect(text).not.toMatch(/createPrivateKey|privateKey|"host-key\.json"|'host-key\.json'/);
}

describe('the posting commands, through the agent', () => {
  it.each(['reply', 'open', 'moderate', 'close'])('%s loads no zod, no jose, no key', (command) => {
    const bin = read('bin.js');
    // What bin.js loads for any command but help and hook: the program and the context.
    expect(bin).toMatch(new RegExp(`import\\("\\./(${chunkOf('main')})"\\)`));
    expectLight(textOf([...staticClosure(chunkOf('main')), ...staticClosure(chunkOf('context')), ...staticClosure(chunkOf(command))]));
  });

  it('by the fast entry, they load one file: no commander, no zod, no jose, no key', () => {
    expect(read('bin.js')).toContain('import("./fast.js")');
    // fast.js holds the posting commands, and imports nothing of ours but lazily.
    expect(staticClosure('fast.js')).toEqual(['fast.js']);
    const text = read('fast.js');
    expectLight(text);
    for (const command of ['reply', 'open', 'moderate', 'close']) expect(text).toContain(`packages/cli/dist/commands/${command}.js`);
    expect(text).toContain('function runFast');
    expect(text).not.toMatch(/class CommanderError|suggestSimilar/);
  });
});
