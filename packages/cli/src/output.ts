// How results and errors reach the user: data on stdout, talk on stderr, no colour, no prompts.
// Everything a command prints goes through this file, and everything it prints is made harmless
// for a terminal here: remote text (bodies, topics, resolutions, a relay's messages) may hold
// escape sequences, and no command has to remember to clean it.
import { CrosstalkError, ERRORS } from '@crosstalk/core/errors';
import type { CliContext, CommandResult } from './handler.js';

// C0 controls but tab and newline (ESC, BEL, CR, backspace…), DEL, C1 controls (CSI U+009B, OSC
// U+009D…), bidi controls, zero-width and invisible characters, line and paragraph separators.
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** Text as it may reach a terminal: CRLF becomes LF; every other unsafe character becomes U+FFFD. */
export function terminalText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(TERMINAL_UNSAFE, '\uFFFD');
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls and bidi controls raw.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** JSON with every control, bidi and invisible character escaped as \uXXXX (only strings can hold them). */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Out = Pick<CliContext, 'stdout'>;

/** Human text on stdout, as is (no newline added). The only way a command streams text. */
export function printText(ctx: Out, text: string): void {
  ctx.stdout.write(terminalText(text));
}

/** One JSON value on one line of stdout (`tail -f --json`). */
export function printJsonLine(ctx: Out, value: unknown): void {
  ctx.stdout.write(`${terminalJson(value)}\n`);
}

export function printResult(ctx: CliContext, result: CommandResult | undefined): void {
  if (!result) return;
  if (ctx.json) {
    if (result.data !== undefined) ctx.stdout.write(`${terminalJson(result.data, 2)}\n`);
    return;
  }
  if (result.text !== undefined && result.text !== '') printText(ctx, result.text.endsWith('\n') ? result.text : `${result.text}\n`);
}

/** Turns anything thrown into a CrosstalkError; unexpected errors keep their message. */
function toCrosstalkError(err: unknown): CrosstalkError {
  if (err instanceof CrosstalkError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CrosstalkError('INTERNAL', message, { hint: 'this looks like a bug in crosstalk; please report it with the command you ran' });
}

/** Prints an error (code, message, next step) and returns the exit code for it. */
export function printError(ctx: Pick<CliContext, 'json' | 'stdout' | 'stderr'>, err: unknown): number {
  const e = toCrosstalkError(err);
  if (ctx.json) ctx.stdout.write(`${terminalJson({ error: e.toBody() }, 2)}\n`);
  ctx.stderr.write(`crosstalk: ${terminalText(e.message)} [${e.code}]\n  hint: ${terminalText(e.hint)}\n`);
  return ERRORS[e.code].exit;
}

/** A line of talk for humans, on stderr. */
export function say(ctx: Pick<CliContext, 'stderr'>, line: string): void {
  ctx.stderr.write(`${terminalText(line)}\n`);
}
