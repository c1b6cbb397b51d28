// Usage errors as crosstalk errors: what commander found wrong with the command line, or a
// command that does not exist (with the nearest one), printed like every other error, so
// `--json` gets its `{"error": …}` and the exit code is 2. An unknown command is caught before
// commander runs, so `crosstalk <unknown> --help` is an error too, not the main help.
import { CrosstalkError } from '@crosstalk/core/errors';
import { COMMANDS } from './commands.js';

/** The command words: top-level names, and the subcommands of each group (relay, agent, skill). */
function commandTree(): Map<string, Set<string>> {
  const tree = new Map<string, Set<string>>();
  for (const spec of COMMANDS) {
    const [first, second] = spec.path as [string, string | undefined];
    const subs = tree.get(first) ?? new Set<string>();
    if (second !== undefined) subs.add(second);
    tree.set(first, subs);
  }
  return tree;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j] as number;
      row[j] = Math.min(here + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length] as number;
}

/** The known word nearest to `word`, if it is near enough to be a typo or a prefix of it. */
export function nearest(word: string, known: Iterable<string>): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of known) {
    const d = name.startsWith(word) && word.length >= 2 ? 0.5 : distance(word, name);
    if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}

/** The words of argv that name a known command (e.g. ['relay', 'invite']). */
export function commandPath(argv: readonly string[]): string[] {
  const tree = commandTree();
  const [first, second] = argv;
  if (first === undefined || !tree.has(first)) return [];
  return second !== undefined && tree.get(first)?.has(second) ? [first, second] : [first];
}

/** A command word that names no command: the error, with the nearest command; else null. */
export function unknownCommand(argv: readonly string[]): CrosstalkError | null {
  const tree = commandTree();
  const [first, second] = argv;
  if (first === undefined || first.startsWith('-')) return null;
  const subs = tree.get(first);
  if (!subs) {
    const near = nearest(first, tree.keys());
    return new CrosstalkError('USAGE', `unknown command '${first}'`, {
      hint: `${near ? `did you mean \`crosstalk ${near}\`? ` : ''}\`crosstalk --help\` lists the commands`,
    });
  }
  if (subs.size === 0 || second === undefined || second.startsWith('-') || subs.has(second)) return null;
  const near = nearest(second, subs);
  return new CrosstalkError('USAGE', `unknown command '${first} ${second}'`, {
    hint: `${near ? `did you mean \`crosstalk ${first} ${near}\`? ` : ''}\`crosstalk ${first} --help\` lists its commands`,
  });
}

/** What commander reported, as a USAGE error pointing at the command's help. */
export function usageError(message: string, argv: readonly string[]): CrosstalkError {
  const path = commandPath(argv);
  const text = message.replace(/^error: /, '').trim();
  return new CrosstalkError('USAGE', text, { hint: `see \`crosstalk ${path.length ? `${path.join(' ')} ` : ''}--help\`` });
}
