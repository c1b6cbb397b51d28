// The fast entry reads a command line only where commander would read it the same: for each
// command it runs, a table of command lines is read both ways; every one the fast reader takes
// gives commander's positionals and options, and every one it leaves gets the full program.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands.js';
import { buildProgram } from '../program.js';
import { readCommandLine } from './argv.js';

type Read = { args: string[]; given: Record<string, unknown> } | { error: string };

async function byCommander(argv: string[]): Promise<Read> {
  let got: Read = { error: 'no action ran' };
  const quiet = { writeOut: () => undefined, writeErr: () => undefined };
  const program = buildProgram(async (_spec, args, options) => {
    got = { args: [...args], given: { ...options } };
  }, quiet);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    return { error: (err as Error).message };
  }
  return got;
}

function byFastReader(argv: string[]): Read | null {
  const spec = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === argv[0]);
  if (!spec) throw new Error(`no command ${argv[0]}`);
  return readCommandLine(argv, spec);
}

const id = 'api-shape-x1y2';
/** Command lines the fast reader must take. */
const TAKEN: string[][] = [
  ['reply', id, '--as', 'b1', '--expect-turn', '3', '--body', 'turn 3: a short answer'],
  ['reply', id, '--as', 'b1', '--body', 'x', '--json', '--verbose'],
  ['reply', '--as', 'b1', id, '--body-file', '-'],
  ['reply', id, '--as=b1', '--body=a=b', '--post-timeout', '1.5'],
  ['reply', id, '--propose', '--body', 'the decision'],
  ['reply', id, '--propose', 'use v2', '--agree'],
  ['reply', id, '--body', 'x', '--propose'],
  ['reply', id, '--body', '', '--next', 'a1,b1'],
  ['reply', id, '--body', ' spaced = text '],
  ['reply', id],
  ['reply', 'NOT a name', '--body', 'x'],
  ['open', '--as', 'a1', '--topic', 'users API shape', '--with', 'b1,c1', '--max-turns', '10', '--body', 'Which shape?'],
  ['open', '--topic', 't', '--with', 'b1', '--moderator', 'a1', '--next', 'b1', '--json'],
  ['open'],
  ['moderate', id, '--as', 'a1', '--extend', '5', '--next', 'b1', '--add', 'c1', '--remove', 'd1', '--admin', '--json'],
  ['close', id, '--resolution', 'done', '--as', 'a1', '--post-timeout', '5'],
  ['ask', 'b1', 'run', 'the', 'tests', '--as', 'a1', '--timeout', '30', '--topic', 'tests'],
  ['ask', 'b1', 'one task', '--json'],
  ['wait', id, '--as', 'a1', '--timeout', '600', '--json'],
  ['read', id, '--since', '4', '--json'],
  ['read', id, '--new', '--as', 'a1'],
  ['status', id, '--json'],
  ['status', id],
];
/** Command lines left to the full program (its messages, its help). */
const LEFT: string[][] = [
  ['reply', id, '--help'],
  ['reply', id, '-h'],
  ['reply', id, '--body', '--version'],
  ['reply', id, '--body', '-V'],
  ['reply', id, '--bogus'],
  ['reply', id, '-x'],
  ['reply', id, '--body', 'a', '--body', 'b'],
  ['reply', id, '--body'],
  ['reply', id, '--body', '-dash first'],
  ['reply', id, '--propose', '-5'],
  ['reply', id, '--json=1'],
  ['reply', id, '--', '--body'],
  ['reply', id, 'extra'],
  ['reply', '-5'],
  ['reply'],
  ['open', '--topic'],
  ['status'],
  ['ask', 'b1'],
  ['wait', id, '--follow'],
];

describe('the fast entry reads a command line as commander does', () => {
  it.each(TAKEN.map((argv) => [argv.join(' '), argv]))('takes %s, as commander reads it', async (_name, argv) => {
    const fast = byFastReader(argv as string[]);
    expect(fast).not.toBeNull();
    expect(await byCommander(argv as string[])).toEqual(fast);
  });

  it.each(LEFT.map((argv) => [argv.join(' '), argv]))('leaves %s to the full program', (_name, argv) => {
    expect(byFastReader(argv as string[])).toBeNull();
  });
});
