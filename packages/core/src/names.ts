import { CrosstalkError } from './errors.js';

// Host names, session names and conversation ids all end up as file names on every OS,
// so one rule covers them all.
export const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const NAME_MAX_LENGTH = 64;

const WINDOWS_RESERVED = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  'com0',
  'com1',
  'com2',
  'com3',
  'com4',
  'com5',
  'com6',
  'com7',
  'com8',
  'com9',
  'lpt0',
  'lpt1',
  'lpt2',
  'lpt3',
  'lpt4',
  'lpt5',
  'lpt6',
  'lpt7',
  'lpt8',
  'lpt9',
  'conin',
  'conout',
  'clock',
]);

export type NameKind = 'host' | 'session' | 'conversation';

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value) && !WINDOWS_RESERVED.has(value);
}

/** Returns the name unchanged, or throws INVALID_NAME saying what is wrong with it. */
export function checkName(kind: NameKind, value: unknown): string {
  if (isValidName(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
  let why = 'use 1-64 characters of a-z, 0-9 and "-", starting and ending with a letter or digit';
  if (typeof value === 'string') {
    if (value.length === 0) why = 'it is empty';
    else if (value.length > NAME_MAX_LENGTH) why = `it is longer than ${NAME_MAX_LENGTH} characters`;
    else if (WINDOWS_RESERVED.has(value)) why = 'it is a reserved device name on Windows';
    else if (value !== value.toLowerCase()) why = 'use lower case only';
  }
  throw new CrosstalkError('INVALID_NAME', `invalid ${kind} name ${shown}: ${why}`, { details: { kind } });
}

const SUFFIX_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Text as a name's material: accents dropped, lower case, every run of other characters one
 * hyphen, no hyphen at either end, at most `max` characters.
 */
export function slugify(text: string, max: number): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

/**
 * Turns a topic into a conversation id: a slug of the topic plus a short random suffix.
 * `random` supplies bytes so the function stays pure and testable.
 */
export function conversationId(topic: string, randomBytes: Uint8Array): string {
  // Cut at a word: "…tell-me-what-fails" is cut to "…tell-me-what", never to "…tell-me-what-fail".
  const whole = slugify(topic, 500);
  let slug = slugify(topic, 40);
  if (whole.length > slug.length && whole[slug.length] !== '-' && slug.includes('-')) slug = slug.slice(0, slug.lastIndexOf('-'));
  if (slug === '') slug = 'talk';
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += SUFFIX_ALPHABET[(randomBytes[i] ?? 0) % SUFFIX_ALPHABET.length];
  return `${slug}-${suffix}`;
}
