import { describe, expect, it } from 'vitest';
import { commandLine, environmentBlock, quoteArg } from './create-process.js';

/** CommandLineToArgvW's rules for the arguments after the program (what the C runtime reads back). */
function parseArgs(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const ch = line[i];
      if (!quoted && (ch === ' ' || ch === '\t')) break;
      if (ch === '\\') {
        let n = 0;
        while (line[i] === '\\') {
          n++;
          i++;
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) arg += '"';
          else quoted = !quoted;
        } else {
          arg += '\\'.repeat(n);
          i--;
        }
      } else if (ch === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i++;
        } else quoted = !quoted;
      } else arg += ch;
    }
    out.push(arg);
  }
  return out;
}

describe('a Windows command line', () => {
  it('reads back as the arguments it was made of, whatever they hold', () => {
    const cases = [
      ['C:\\Program Files\\node\\node.exe', 'Z:\\a b\\agent.mjs', '{"dirBase":"Z:\\\\x","cli":"a b"}'],
      ['claude', '--model', 'opus'],
      ['a"b', 'trailing\\', 'trail space\\', '', '\\\\server\\share', 'say "hi" \\"there\\"', 'tab\there'],
    ];
    for (const argv of cases) expect(parseArgs(commandLine(argv))).toEqual(argv);
  });

  it('leaves plain arguments bare and quotes the rest', () => {
    expect(quoteArg('--model')).toBe('--model');
    expect(quoteArg('')).toBe('""');
    expect(quoteArg('a b')).toBe('"a b"');
    expect(quoteArg('end\\')).toBe('end\\');
    expect(quoteArg('a b\\')).toBe('"a b\\\\"');
  });
});

describe('an environment block', () => {
  it('is name=value strings sorted without case, each NUL-ended, then a NUL, in UTF-16', () => {
    const block = environmentBlock({ b: '2', A: '1', Path: 'C:\\x', SKIP: undefined, '=C:': 'bad' });
    expect(block.toString('utf16le')).toBe('A=1\0b=2\0Path=C:\\x\0\0');
  });
});
