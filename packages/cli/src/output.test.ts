import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core/errors';
import { printError, printResult } from './output.js';

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
});
