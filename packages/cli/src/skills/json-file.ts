// The JSON files `crosstalk skill install` edits beside the user's own content (Claude Code's
// settings.json, Codex's hooks.json): read as an object, or refused with a hint; written back
// pretty-printed, every key the user had kept in its place.
import { CrosstalkError } from '@crosstalk/core';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's object; an empty or blank file reads as `{}`. */
export function parseJsonObject(text: string | undefined, path: string): Json {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new CrosstalkError('CONFIG_INVALID', `${path} is not valid JSON`, { hint: 'fix it (or move it away), then run `crosstalk skill install` again' });
  }
  if (!isObject(value)) throw new CrosstalkError('CONFIG_INVALID', `${path} does not hold a JSON object`, { hint: 'fix it, then install again' });
  return value;
}

export const serializeJson = (value: Json): string => `${JSON.stringify(value, null, 2)}\n`;
