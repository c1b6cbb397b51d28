// Hostile values, by the kind of field they are aimed at. Each arbitrary yields only values the
// relay must refuse for that field, so a request carrying one can never be valid.
import { isValidName, LIMITS } from '@crosstalk/core';
import fc from 'fast-check';

/** Names people (and attackers) actually try: traversal, Windows devices, case, length, look-alikes. */
export const NAMED_HOSTILE_NAMES = [
  '../x',
  '..',
  '.',
  './a',
  'a/../b',
  '%2e%2e',
  'con',
  'CON',
  'nul',
  'NUL',
  'Nul',
  'com1',
  'COM9',
  'lpt1',
  'conin',
  'conout',
  'clock',
  'aux',
  'prn',
  'a.',
  'a-',
  '-a',
  '-',
  'A',
  'Codex-Linux',
  'a'.repeat(65),
  'b'.repeat(200),
  '',
  ' ',
  'a b',
  'a/b',
  'a\\b',
  'a_b',
  'a:b',
  'a*b',
  'a?b',
  'a"b',
  '\u0430dmin' /* Cyrillic a */,
  '\uff43\uff4f\uff4e' /* fullwidth con */,
  'a\u200bb',
  'a\u200d',
  '\u202ea',
  'caf\u00e9',
  '\u{1f680}',
  'a\u0000',
  'a\n',
  '\t',
  'a\u0301',
  '\u0131',
  'K\u212a' /* Kelvin sign */,
  'con.txt',
  'nul.md',
  `${'a'.repeat(63)}-`,
];

export const hostileName: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NAMED_HOSTILE_NAMES), weight: 3 },
  { arbitrary: fc.string({ maxLength: 80, unit: 'binary' }).filter((s) => !isValidName(s)), weight: 1 },
  { arbitrary: fc.string({ minLength: 1, maxLength: 70, unit: 'grapheme-ascii' }).filter((s) => !isValidName(s)), weight: 1 },
);

/** Not a JSON string at all. */
export const notAString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A whole number field bounded to [min, max]: everything outside, and everything that is not a whole number. */
export function hostileInt(min: number, max: number): fc.Arbitrary<unknown> {
  const valid = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
  return fc
    .oneof(
      fc.integer({ min: -1_000_000, max: min - 1 }),
      fc.constantFrom(max + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21, 1e308, -1e308, -0.5, min + 0.5, 2 ** 53 + 0.5, Number.MIN_VALUE),
      fc.double({ min: min + 0.001, max: Math.min(max, 1e6) - 0.001, noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.constantFrom(String(min), `${min}`.padStart(3, '0'), '1e3', 'NaN', 'Infinity', true, null, [min], { n: min }),
    )
    .filter((v) => !valid(v));
}

/** Text that is not valid UTF-8 text for us: NUL, lone surrogates, or not a string. */
export const brokenText: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800', `${'a'.repeat(100)}\ud83d`),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  notAString,
);

/** For a one-line label (topic): also control and invisible characters, blank, too long. */
export const hostileLine: fc.Arbitrary<unknown> = fc.oneof(
  brokenText,
  fc.constantFrom(
    '',
    '   ',
    '\t',
    'a\x1b[31mred',
    'a\nb',
    'a\rb',
    'paste\x1b[201~end',
    'a\u009bb',
    'a\u0085b',
    'bidi\u202eevil',
    'zw\u200bj',
    'a\u2028b',
    'bell\x07',
    'del\x7f',
  ),
  fc.constant('t'.repeat(LIMITS.topicChars * 2 + 1)),
);

/** For a turn body: blank, broken, or larger than 64 KiB (but under the HTTP limit). */
export const hostileBody: fc.Arbitrary<unknown> = fc.oneof(
  brokenText,
  fc.constantFrom('', ' ', '\n\n\t '),
  fc.integer({ min: LIMITS.bodyBytes + 1, max: LIMITS.bodyBytes + 30_000 }).map((n) => 'b'.repeat(n)),
  fc.integer({ min: 16_500, max: 30_000 }).map((n) => '\u{1f680}'.repeat(n)),
);

/** For a resolution or decision (4 KiB). */
export const hostileResolution: fc.Arbitrary<unknown> = fc.oneof(brokenText, fc.constantFrom('', '  '), fc.constant('r'.repeat(LIMITS.resolutionBytes + 1)));

export const hostileKey: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', ' ', 'has space', 'tab\t', 'caf\u00e9', 'k'.repeat(LIMITS.idempotencyKeyChars + 1), '\u0000'),
  notAString,
);

export const hostileNameList: fc.Arbitrary<unknown> = fc.oneof(
  hostileName.map((n) => [n]),
  fc.tuple(fc.constantFrom('s0', 's1'), hostileName).map(([a, b]) => [a, b]),
  fc.constant(Array.from({ length: LIMITS.participants + 1 }, (_, i) => `s${i}`)),
  fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null), fc.constant({})),
);

/** JSON nested deeper than anything sane, within `bytes`. */
export function deepNesting(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates encoded in UTF-8, truncated sequences. */
export const INVALID_UTF8: Buffer[] = [
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xf0, 0x9f, 0x98]),
];

export const invalidUtf8: fc.Arbitrary<Buffer> = fc.constantFrom(...INVALID_UTF8);
