// The first pass of a compaction: which conversations have a tombstone in the log, and which
// still have their opening there (a conversation whose opening is a stub was compacted before).
// Found by searching the bytes for the two record kinds, without parsing the other records:
// quotes inside a JSON string are escaped, so `"type":"conversation.deleted"` can only be a
// record's own type. Only complete lines count (a torn last line was never acknowledged); the
// second pass checks every record before anything is replaced.
import { open } from 'node:fs/promises';
import { recordConversation } from '../state/purge.js';
import { ReadAhead } from './read-ahead.js';

const DELETED = Buffer.from('"type":"conversation.deleted"');
const OPENED = Buffer.from('"type":"conversation.opened"');
const NEWLINE = 0x0a;
const CHUNK = 8 * 1024 * 1024;

export interface Survey {
  deleted: Set<string>;
  opened: Set<string>;
  /** Complete lines (records, when the log is sound). */
  lines: number;
}

/** Adds the conversation of every complete line in `buf` that holds `pattern` to `into`. */
function collect(buf: Buffer, pattern: Buffer, into: Set<string>): void {
  let at = buf.indexOf(pattern);
  while (at !== -1) {
    const start = buf.lastIndexOf(NEWLINE, at) + 1;
    const end = buf.indexOf(NEWLINE, at);
    if (end === -1) return;
    const id = recordConversation(buf.toString('utf8', start, end));
    if (id !== null) into.add(id);
    // The next line may hold the pattern too: search on from its start.
    at = buf.indexOf(pattern, end + 1);
  }
}

export async function surveyLog(file: string): Promise<Survey> {
  const survey: Survey = { deleted: new Set(), opened: new Set(), lines: 0 };
  const fh = await open(file, 'r');
  try {
    const reader = new ReadAhead(fh, CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    for (let chunk = await reader.next(); chunk.length > 0; chunk = await reader.next()) {
      const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const lastNewline = joined.lastIndexOf(NEWLINE);
      const whole = joined.subarray(0, lastNewline + 1);
      for (let at = whole.indexOf(NEWLINE); at !== -1; at = whole.indexOf(NEWLINE, at + 1)) survey.lines++;
      collect(whole, DELETED, survey.deleted);
      collect(whole, OPENED, survey.opened);
      // The unfinished line waits for the next chunk (copied: the chunk's buffer is read into again).
      carry = Buffer.from(joined.subarray(lastNewline + 1));
    }
  } finally {
    await fh.close();
  }
  return survey;
}
