// The command lines the fast entry reads itself: `<command> [positionals] [--long value |
// --long=value | --switch]…` of one command's own option table, each option at most once. What
// it returns is what commander would give the command (its positionals, and its options by
// attribute name, as text, with defaults). Anything else — help, version, `--`, short or unknown
// flags, a repeated option, a missing value, too few or too many positionals, a value that could
// be read as an option — is null, and the full program reads the command line, with its messages.
import { optionKey } from '../options/parse.js';
import type { OptionSpec } from '../options/types.js';

export interface ReadCommandLine {
  /** The positionals, as commander's `command.args`. */
  args: string[];
  /** The options, keyed as commander's `opts()`: a value's text, `true` for a switch or a bare `[value]`. */
  given: Record<string, unknown>;
}

interface Shape {
  /** `<id>` → 1 required; `<session> <task...>` → 2 required, no upper bound. */
  required: number;
  max: number;
}

function shapeOf(args: string | undefined): Shape | null {
  const words = (args ?? '').split(' ').filter((w) => w !== '');
  let required = 0;
  let max = 0;
  for (const [i, w] of words.entries()) {
    const m = /^(<|\[)[A-Za-z-]+(\.\.\.)?(>|\])$/.exec(w);
    if (!m) return null;
    if (m[2] !== undefined) {
      if (i !== words.length - 1) return null;
      max = Number.POSITIVE_INFINITY;
    } else max++;
    if (m[1] === '<') {
      if (required !== i) return null;
      required++;
    }
  }
  return { required, max: Math.max(max, required) };
}

type Takes = 'value' | 'optional' | 'switch';

function longOnly(flags: string): { long: string; takes: Takes } | null {
  const m = /^--([a-z][a-z0-9-]*)(?: (<[^>]+>|\[[^\]]+\]))?$/.exec(flags);
  if (!m || m[1]?.startsWith('no-')) return null;
  return { long: `--${m[1]}`, takes: m[2] === undefined ? 'switch' : m[2].startsWith('<') ? 'value' : 'optional' };
}

// Words that may ask for help or the version: the full program decides what they are (the version
// only before the command, since program options are positional; help wherever it stands).
const ROOT_WORDS = /^(-h|-V|--help|--version)/;
const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;

/**
 * Reads `argv` (the command's own words first, `path.length` of them) against the command's
 * options; null when the full program must read it.
 */
export function readCommandLine(
  argv: readonly string[],
  command: { path: readonly string[]; args?: string | undefined; options?: readonly OptionSpec[] | undefined; json?: boolean | undefined },
): ReadCommandLine | null {
  if (argv.some((a) => ROOT_WORDS.test(a))) return null;
  const shape = shapeOf(command.args);
  if (!shape) return null;
  const known = new Map<string, { key: string; takes: Takes }>();
  const given: Record<string, unknown> = {};
  for (const o of command.options ?? []) {
    const flag = longOnly(o.flags);
    // A short flag or a negated switch: the full program reads this command.
    if (!flag) return null;
    known.set(flag.long, { key: optionKey(o.flags), takes: flag.takes });
    if (o.default !== undefined) given[optionKey(o.flags)] = o.default;
  }
  if (command.json) known.set('--json', { key: 'json', takes: 'switch' });
  const seen = new Set<string>();
  const args: string[] = [];
  const words = argv.slice(command.path.length);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word.length < 2 || !word.startsWith('-')) {
      args.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : word;
    const option = known.get(name);
    if (!option || seen.has(name)) return null;
    seen.add(name);
    if (eq > 0) {
      if (option.takes === 'switch') return null;
      given[option.key] = word.slice(eq + 1);
    } else if (option.takes === 'switch') {
      given[option.key] = true;
    } else {
      const next = words[i + 1];
      if (next === undefined) {
        if (option.takes === 'value') return null;
        given[option.key] = true;
      } else if (next.length > 1 && next.startsWith('-')) {
        // A value that starts with a dash, or a negative number: commander has rules of its own.
        if (option.takes === 'value' || NEGATIVE_NUMBER.test(next)) return null;
        // A bare `[value]` before the next option.
        given[option.key] = true;
      } else {
        given[option.key] = next;
        i++;
      }
    }
  }
  if (args.length < shape.required || args.length > shape.max) return null;
  return { args, given };
}
