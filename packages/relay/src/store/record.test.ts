// A log record's line: `<crc32 of the JSON bytes, 8 lowercase hex> <json>\n`, checked as it is read back.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkLine, encodeRecord } from './record.js';

describe('encodeRecord', () => {
  it('writes the checksum of the JSON bytes, the JSON and a newline, for any text', () => {
    for (const json of [
      '{"seq":1}',
      JSON.stringify({ seq: 2, body: 'été — 🙂 \u2028 "quoted" \\ \n' }),
      JSON.stringify({ seq: 3, body: 'x'.repeat(70_000) }),
    ]) {
      const line = encodeRecord(json);
      expect(line.toString('utf8')).toBe(`${crc32(json).toString(16).padStart(8, '0')} ${json}\n`);
      expect(checkLine(line, 0, line.length - 1)).toEqual({ ok: true, json });
    }
  });
});
