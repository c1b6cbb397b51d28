import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core/errors';
import { printError, printResult, terminalJson, terminalText } from './output.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('output', () => {
  it('errors: message, code and next step on stderr; JSON on stdout with --json; the exit code from the catalogue', () => {
    const out = sink();
    const err = sink();
    const code = printError({ json: true, stdout: out.stream, stderr: err.stream }, new CrosstalkError('NOT_YOUR_TURN', "it is not b's turn"));
    expect(code).toBe(3);
    expect(err.text()).toBe(
      "crosstalk: it is not b's turn [NOT_YOUR_TURN]\n  hint: wait for your turn with `crosstalk wait <id>`; the moderator can hand you the floor\n",
    );
    expect(JSON.parse(out.text())).toEqual({
      error: {
        code: 'NOT_YOUR_TURN',
        message: "it is not b's turn",
        hint: 'wait for your turn with `crosstalk wait <id>`; the moderator can hand you the floor',
      },
    });
  });

  it('a message quoting a hostile relay cannot steer the terminal', () => {
    const err = sink();
    printError(
      { json: false, stdout: sink().stream, stderr: err.stream },
      CrosstalkError.fromBody({ code: 'INTERNAL', message: 'boom\x1b[2J\x1b]0;pwned\x07', hint: 'x\u202ey' }),
    );
    expect(err.text()).toBe('crosstalk: boom\uFFFD[2J\uFFFD]0;pwned\uFFFD [INTERNAL]\n  hint: x\uFFFDy\n');
  });

  it('results: text for humans, data for --json', () => {
    const human = sink();
    printResult({ json: false, stdout: human.stream } as never, { data: { a: 1 }, text: 'one line' });
    expect(human.text()).toBe('one line\n');
    const machine = sink();
    printResult({ json: true, stdout: machine.stream } as never, { data: { a: 1 }, text: 'one line' });
    expect(JSON.parse(machine.text())).toEqual({ a: 1 });
  });

  it('remote text cannot steer the terminal: escapes, OSC 52, C1 CSI, bidi, CR all shown as U+FFFD', () => {
    expect(terminalText('ok\x1b]52;c;ZXZpbA==\x07 \x9b31m\u202ex\r\nnext\tcol\rover')).toBe(
      'ok\uFFFD]52;c;ZXZpbA==\uFFFD \uFFFD31m\uFFFDx\nnext\tcol\uFFFDover',
    );
    const out = sink();
    printResult({ json: false, stdout: out.stream } as never, { text: 'closed: \x1b[2J\x1b]0;t\x07\x1b[6n' });
    expect(out.text()).toBe('closed: \uFFFD[2J\uFFFD]0;t\uFFFD\uFFFD[6n\n');
  });

  it('--json escapes DEL, C1 and bidi controls, which JSON.stringify leaves raw', () => {
    const text = terminalJson({ a: 'x\u009b2J\u202ey\u007f\u2028' });
    expect(text).toBe('{"a":"x\\u009b2J\\u202ey\\u007f\\u2028"}');
    expect(JSON.parse(text)).toEqual({ a: 'x\u009b2J\u202ey\u007f\u2028' });
    const out = sink();
    printResult({ json: true, stdout: out.stream } as never, { data: { body: '\u009b\u202e' } });
    expect(out.text()).not.toMatch(/[\u0080-\u009f\u202e]/);
  });

  it('nothing but output.ts writes to stdout or stderr, so no printed text misses the sanitiser', () => {
    // bin.ts owns the process (help text, exit); the hook answers its coding agent, never a
    // terminal; the demo's scripted session draws its own pane; main.ts hands commander its own help.
    const ALLOWED = new Set(['output.ts', 'bin.ts', 'main.ts', join('hook', 'run.ts'), join('demo', 'session.ts')]);
    const src = new URL('.', import.meta.url).pathname;
    const offenders: string[] = [];
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || ALLOWED.has(file)) continue;
      const text = readFileSync(join(src, file), 'utf8');
      if (/\b(?:stdout|stderr)\.write\(|console\.(?:log|error|warn|info)\(/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
