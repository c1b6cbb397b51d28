// Turns what commander parsed into the options a handler is typed to receive: every declared
// option under its name, switches as true or false, required ones present, values checked once.
import type { OptionSpec } from './types.js';
import { requiredText } from './values.js';

/** The property an option's value arrives under, as commander names it (`--no-wake` → `wake`). */
export function optionKey(flags: string): string {
  const word = /--([A-Za-z0-9-]+)/.exec(flags)?.[1] ?? flags;
  return word.replace(/^no-/, '').replace(/-([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `-f, --follow` → `--follow`, as messages name it. */
function longFlag(flags: string): string {
  return /--[A-Za-z0-9-]+/.exec(flags)?.[0] ?? flags;
}

const takesValue = (flags: string) => /[<[]/.test(flags);

function optionValue(spec: OptionSpec, given: unknown): unknown {
  if (spec.required) requiredText(given, spec.flags.replace(/^-\w, /, ''));
  if (given === undefined) return takesValue(spec.flags) ? undefined : false;
  return typeof given === 'string' && spec.parse ? spec.parse(given, longFlag(spec.flags)) : given;
}

/** The handler's options: checked, converted, nothing undeclared (`--json` is the program's). */
export function parseOptions(specs: readonly OptionSpec[], given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(specs.map((spec) => [optionKey(spec.flags), optionValue(spec, given[optionKey(spec.flags)])]));
}
