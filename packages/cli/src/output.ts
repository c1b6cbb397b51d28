// How results and errors reach the user: data on stdout, talk on stderr, no colour, no prompts.
import { CrosstalkError, ERRORS } from '@crosstalk/core/errors';
import type { CliContext, CommandResult } from './handler.js';

export function printResult(ctx: CliContext, result: CommandResult | undefined): void {
  if (!result) return;
  if (ctx.json) {
    if (result.data !== undefined) ctx.stdout.write(`${JSON.stringify(result.data, null, 2)}\n`);
    return;
  }
  if (result.text !== undefined && result.text !== '') ctx.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
}

/** Turns anything thrown into a CrosstalkError; unexpected errors keep their message. */
function toCrosstalkError(err: unknown): CrosstalkError {
  if (err instanceof CrosstalkError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CrosstalkError('INTERNAL', message, { hint: 'this looks like a bug in crosstalk; please report it with the command you ran' });
}

// Messages may quote a relay's answer: nothing in them may steer the terminal.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const plain = (s: string) => s.replace(UNSAFE, '\uFFFD');

/** Prints an error (code, message, next step) and returns the exit code for it. */
export function printError(ctx: Pick<CliContext, 'json' | 'stdout' | 'stderr'>, err: unknown): number {
  const e = toCrosstalkError(err);
  if (ctx.json) ctx.stdout.write(`${JSON.stringify({ error: e.toBody() }, null, 2)}\n`);
  ctx.stderr.write(`crosstalk: ${plain(e.message)} [${e.code}]\n  hint: ${plain(e.hint)}\n`);
  return ERRORS[e.code].exit;
}

/** A line of talk for humans, on stderr. */
export function say(ctx: Pick<CliContext, 'stderr'>, line: string): void {
  ctx.stderr.write(`${line}\n`);
}
