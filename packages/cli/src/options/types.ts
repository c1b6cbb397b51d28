// What an option is, and the type a handler sees for it, computed from the option table itself:
// `--expect-turn <n>` with a number check is `expectTurn?: number`, so a misspelled option name
// or a wrongly typed use fails to compile instead of reading undefined at run time.
import type { ValueCheck } from './values.js';

export interface OptionSpec {
  /** Commander flags, e.g. `--as <session>` or `-f, --follow`. */
  readonly flags: string;
  readonly description: string;
  readonly default?: string | boolean;
  /** Missing or blank is a usage error; the handler always gets a value. */
  readonly required?: boolean;
  /** Turns the given text into the value the handler gets; without it, the text itself. */
  readonly parse?: ValueCheck<unknown>;
}

// `-f, --follow` → `follow`; `--max-turns <n>` → `max-turns`.
type LongFlag<F extends string> = F extends `${string}--${infer Rest}` ? Rest : F;
type FlagWord<F extends string> = LongFlag<F> extends `${infer Word} ${string}` ? Word : LongFlag<F>;
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** The property an option's value arrives under, as commander names it (`--no-wake` → `wake`). */
type OptionKey<F extends string> = FlagWord<F> extends `no-${infer Word}` ? Camel<Word> : Camel<FlagWord<F>>;

// `<value>` is text, `[value]` is text or true when given bare, no value is a switch.
type GivenValue<F extends string> = F extends `${string}<${string}>` ? string : F extends `${string}[${string}]` ? string | true : boolean;
type ValueOf<O extends OptionSpec> = O extends { parse: ValueCheck<infer V> } ? V : GivenValue<O['flags']>;

// Switches are always true or false; required options and options with a default are always there.
type AlwaysThere<O extends OptionSpec> = O extends { required: true } | { default: string | boolean }
  ? true
  : GivenValue<O['flags']> extends boolean
    ? true
    : false;

type Flat<T> = { [K in keyof T]: T[K] };

// Not Record<string, never>: reading any option of a command without options must not compile.
type NoOptions = Record<never, never>;

/** The options object a handler receives for an option table. */
export type OptionsOf<T extends readonly OptionSpec[]> = T extends readonly []
  ? NoOptions
  : Flat<
      { readonly [O in T[number] as AlwaysThere<O> extends true ? OptionKey<O['flags']> : never]: ValueOf<O> } & {
        readonly [O in T[number] as AlwaysThere<O> extends true ? never : OptionKey<O['flags']>]?: ValueOf<O>;
      }
    >;

/** One option, its flags kept as a literal type so its name and value type can be derived. */
export function option<const O extends OptionSpec>(spec: O): O {
  return spec;
}

/** A command's option table, kept as a literal tuple for OptionsOf. */
export function options<const T extends readonly OptionSpec[]>(...specs: T): T {
  return specs;
}
