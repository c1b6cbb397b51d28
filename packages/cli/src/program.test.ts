// Help reads as sentences: every command's description and every entry of a command list starts
// with a capital; a group's list shows each command's summary, not its whole description.
import { CROSSTALK_VERSION } from '@crosstalk/core/protocol';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.js';
import { buildProgram } from './program.js';

function helpOf(argv: string[]): string {
  let out = '';
  const io = { writeOut: (s: string) => void (out += s), writeErr: (s: string) => void (out += s) };
  const program = buildProgram(async () => {}, io);
  let cmd = program;
  for (const word of argv) cmd = cmd.commands.find((c) => c.name() === word) ?? cmd;
  cmd.outputHelp();
  return out;
}

describe('help', () => {
  it('starts every description with a capital', () => {
    for (const spec of COMMANDS) {
      const help = helpOf(spec.path);
      const description = help.split('\n\n')[1] ?? '';
      expect(description.charAt(0), spec.path.join(' ')).toMatch(/[A-Z]/);
    }
    for (const line of helpOf([])
      .split('\n')
      .filter((l) => /^ {2}[a-z]/.test(l)))
      expect(line.slice(33).charAt(0), line).toMatch(/[A-Z]/);
  });

  it("lists a group's commands by summary, capitalised", () => {
    const relay = helpOf(['relay']);
    expect(relay).toContain('Relay commands');
    expect(relay).toMatch(/^ {2}invite \[options\]\s+Mint a one-time invite/m);
    expect(relay).not.toContain('Run it on the relay machine');
  });
});

describe('option values that start with a dash', () => {
  async function parse(argv: string[]): Promise<{ out: string; ran: Array<{ path: string; options: Record<string, unknown> }> }> {
    let out = '';
    const ran: Array<{ path: string; options: Record<string, unknown> }> = [];
    const io = { writeOut: (s: string) => void (out += s), writeErr: (s: string) => void (out += s) };
    const program = buildProgram(async (spec, _args, options) => void ran.push({ path: spec.path.join(' '), options }), io);
    await program.parseAsync(argv, { from: 'user' }).catch(() => undefined);
    return { out, ran };
  }

  it('belong to the command: `-V…` is a body or an invite code there, not the program version', async () => {
    const body = await parse(['open', '--as', 'a1', '--topic', 't', '--with', 'b1', '--body', '-Verbose flags are gone']);
    expect(body.out).toBe('');
    expect(body.ran).toMatchObject([{ path: 'open', options: { body: '-Verbose flags are gone' } }]);
    const join = await parse(['agent', 'join', 'http://127.0.0.1:7717', '--invite', '-V_UNdNM-M9k.ozFBACHxO9msmD5hFLtr', '--host', 'alpha']);
    expect(join.out).toBe('');
    expect(join.ran).toMatchObject([{ path: 'agent join', options: { invite: '-V_UNdNM-M9k.ozFBACHxO9msmD5hFLtr' } }]);
  });

  it('still prints the version for -V before any command', async () => {
    expect((await parse(['-V'])).out).toBe(`${CROSSTALK_VERSION}\n`);
  });
});
