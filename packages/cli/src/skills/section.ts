// A marked section inside a file someone else owns (AGENTS.md). Adding it and removing it again
// gives back the original bytes; everything outside the markers is never touched.
import { CrosstalkError } from '@crosstalk/core';

export const SECTION_BEGIN = '<!-- crosstalk:begin -->';
export const SECTION_END = '<!-- crosstalk:end -->';

interface Found {
  begin: number;
  /** Index just past the end marker and the one line break that follows it. */
  end: number;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function findSection(text: string, where: string): Found | undefined {
  const begins = count(text, SECTION_BEGIN);
  const ends = count(text, SECTION_END);
  if (begins === 0 && ends === 0) return undefined;
  const begin = text.indexOf(SECTION_BEGIN);
  const endMarker = text.indexOf(SECTION_END);
  if (begins !== 1 || ends !== 1 || endMarker < begin) {
    throw new CrosstalkError('CONFIG_INVALID', `${where} has damaged crosstalk markers (${begins} begin, ${ends} end)`, {
      hint: `keep exactly one "${SECTION_BEGIN}" line followed by one "${SECTION_END}" line, or delete both and the text between them`,
    });
  }
  let end = endMarker + SECTION_END.length;
  if (text.startsWith('\r\n', end)) end += 2;
  else if (text.startsWith('\n', end)) end += 1;
  return { begin, end };
}

const sectionEol = (text: string, found: Found) => (text.startsWith(`${SECTION_BEGIN}\r\n`, found.begin) ? '\r\n' : '\n');

function block(body: string, eol: string): string {
  return [SECTION_BEGIN, ...body.split('\n'), SECTION_END].join(eol) + eol;
}

/**
 * The file with our section added or brought up to date. A new section goes at the end after one
 * line break, so removing it can take exactly that line break away again.
 */
export function upsertSection(existing: string | undefined, body: string, where: string): string {
  const text = existing ?? '';
  const found = findSection(text, where);
  // An existing section keeps its own line breaks, so updating it twice changes nothing.
  if (found) return text.slice(0, found.begin) + block(body, sectionEol(text, found)) + text.slice(found.end);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text === '' ? block(body, eol) : text + eol + block(body, eol);
}

/** The file without our section, or undefined when it has none. An empty result means: delete the file. */
export function removeSection(existing: string, where: string): string | undefined {
  const found = findSection(existing, where);
  if (!found) return undefined;
  let before = existing.slice(0, found.begin);
  // The line break that upsertSection put before the section (CRLF when the section uses CRLF).
  if (sectionEol(existing, found) === '\r\n' && before.endsWith('\r\n')) before = before.slice(0, -2);
  else if (before.endsWith('\n')) before = before.slice(0, -1);
  return before + existing.slice(found.end);
}
