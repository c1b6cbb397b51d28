// Handlers see the options their command declares, typed and checked. This file is type-checked
// by `npm run typecheck` (part of `npm test`, over every test file): each expected compile
// error marked below fails the run if the mistake it marks ever compiles.
import { Option } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CrosstalkError, type SessionKind } from '@crosstalk/core';
import { COMMANDS } from '../commands.js';
import type { CommandHandler } from '../handler.js';
import { ASK_OPTIONS, JOIN_OPTIONS, OPEN_OPTIONS, REPLY_OPTIONS } from '../spec/sessions.js';
import { optionKey, parseOptions } from './parse.js';
import type { OptionsOf } from './types.js';

const failure = (fn: () => unknown): CrosstalkError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CrosstalkError) return err;
    throw err;
  }
  throw new Error('expected a CrosstalkError');
};

describe('typed options', () => {
  it('a handler sees each declared option under its name, with its value type', () => {
    const reply: CommandHandler<typeof REPLY_OPTIONS> = async (_ctx, _args, options) => {
      expectTypeOf(options.expectTurn).toEqualTypeOf<number | undefined>();
      expectTypeOf(options.next).toEqualTypeOf<string[] | undefined>();
      expectTypeOf(options.propose).toEqualTypeOf<string | true | undefined>();
      expectTypeOf(options.agree).toEqualTypeOf<boolean>();
      expectTypeOf(options.bodyFile).toEqualTypeOf<string | undefined>();
      // @ts-expect-error a misspelled option name does not compile
      void options.expectTrun;
      // @ts-expect-error nor does using a number as text
      void options.expectTurn?.toUpperCase();
      return undefined;
    };
    expect(typeof reply).toBe('function');
    expectTypeOf<OptionsOf<typeof JOIN_OPTIONS>>().toEqualTypeOf<{ readonly as: string; readonly kind: SessionKind; readonly wake: boolean }>();
    expectTypeOf<OptionsOf<typeof ASK_OPTIONS>['timeout']>().toEqualTypeOf<number>();
  });

  it('a command without options offers none', () => {
    const sessions: CommandHandler = async (_ctx, _args, options) => {
      // @ts-expect-error a command without options has no --as
      void options.as;
      return undefined;
    };
    expect(typeof sessions).toBe('function');
  });

  it('names each option as commander does', () => {
    for (const spec of COMMANDS) for (const o of spec.options ?? []) expect(optionKey(o.flags), o.flags).toBe(new Option(o.flags).attributeName());
  });

  it('checks and converts values once, fills switches and defaults, and drops what is not declared', () => {
    const options = parseOptions(REPLY_OPTIONS, { expectTurn: ' 7 ', next: 'a, b,a', json: true });
    expect(options).toEqual({
      body: undefined,
      bodyFile: undefined,
      next: ['a', 'b'],
      propose: undefined,
      agree: false,
      expectTurn: 7,
      as: undefined,
      postTimeout: undefined,
      verbose: false,
    });
    expect(parseOptions(ASK_OPTIONS, { timeout: '1800' }).timeout).toBe(1_800_000);
    expect(parseOptions(REPLY_OPTIONS, { postTimeout: '1.5' }).postTimeout).toBe(1_500);
    expect(parseOptions(REPLY_OPTIONS, { propose: true }).propose).toBe(true);
  });

  it('a bad or missing value is a usage error naming the option', () => {
    const bad = failure(() => parseOptions(REPLY_OPTIONS, { expectTurn: '0' }));
    expect([bad.code, bad.exitCode, bad.message]).toEqual(['INVALID_REQUEST', 2, '--expect-turn must be a whole number from 1 to 1000000, got "0"']);
    const missing = failure(() => parseOptions(OPEN_OPTIONS, { with: 'b' }));
    expect([missing.code, missing.exitCode, missing.message]).toEqual(['INVALID_REQUEST', 2, '--topic <text> is required']);
    expect(failure(() => parseOptions(OPEN_OPTIONS, { topic: '  ', with: 'b' })).code).toBe('INVALID_REQUEST');
    expect(failure(() => parseOptions(JOIN_OPTIONS, { as: 'A', kind: 'other', wake: true })).code).toBe('INVALID_NAME');
    expect(failure(() => parseOptions(REPLY_OPTIONS, { as: 'Bad' })).code).toBe('INVALID_NAME');
  });
});
