import { describe, expect, it } from 'vitest';
import { decodeKeyRecords, enterRecords, INPUT_RECORD_SIZE, textRecords } from './records.js';

// One record written out field by field: EventType, padding, bKeyDown, wRepeatCount,
// wVirtualKeyCode, wVirtualScanCode, UnicodeChar, dwControlKeyState.
const record = (down: 0 | 1, vk: string, scan: string, char: string) => `0100 0000 0${down}000000 0100 ${vk} ${scan} ${char} 00000000`;
const hex = (...records: string[]) => records.join(' ').replace(/\s+/g, '');

describe('console INPUT_RECORD encoding', () => {
  it('is 20 bytes a record with the fields at offsets 0, 4, 8, 10, 12, 14, 16', () => {
    const buf = textRecords('A');
    expect(INPUT_RECORD_SIZE).toBe(20);
    expect(buf.length).toBe(40);
    expect(buf.readUInt16LE(0)).toBe(1); // KEY_EVENT
    expect(buf.readUInt16LE(2)).toBe(0); // padding before the 4-byte-aligned union
    expect(buf.readUInt32LE(4)).toBe(1); // key down
    expect(buf.readUInt16LE(8)).toBe(1); // repeat count
    expect(buf.readUInt16LE(14)).toBe(0x41); // 'A'
    expect(buf.readUInt32LE(16)).toBe(0);
    expect(buf.readUInt32LE(24)).toBe(0); // key up
  });

  it('encodes ASCII as a key-down and key-up per character, virtual key 0', () => {
    expect(textRecords('A%').toString('hex')).toBe(
      hex(record(1, '0000', '0000', '4100'), record(0, '0000', '0000', '4100'), record(1, '0000', '0000', '2500'), record(0, '0000', '0000', '2500')),
    );
  });

  it('encodes BMP characters beyond ASCII as their UTF-16 code unit', () => {
    expect(textRecords('é中').toString('hex')).toBe(
      hex(record(1, '0000', '0000', 'e900'), record(0, '0000', '0000', 'e900'), record(1, '0000', '0000', '2d4e'), record(0, '0000', '0000', '2d4e')),
    );
  });

  it('encodes a non-BMP character as its surrogate pair, the key-ups without a character', () => {
    // U+1F600 = D83D DE00
    expect(textRecords('😀').toString('hex')).toBe(
      hex(record(1, '0000', '0000', '3dd8'), record(0, '0000', '0000', '0000'), record(1, '0000', '0000', '00de'), record(0, '0000', '0000', '0000')),
    );
  });

  it('encodes Enter as VK_RETURN, scan code 0x1C and carriage return, down then up', () => {
    const enter = enterRecords();
    expect(enter.length).toBe(40);
    expect(enter.toString('hex')).toBe(hex(record(1, '0d00', '1c00', '0d00'), record(0, '0d00', '1c00', '0d00')));
  });

  it('round-trips and sizes a long line', () => {
    const text = `crosstalk: ${'x'.repeat(588)}`;
    const buf = textRecords(text);
    expect(buf.length).toBe(text.length * 2 * INPUT_RECORD_SIZE);
    const keys = decodeKeyRecords(buf);
    expect(String.fromCharCode(...keys.filter((k) => k.down).map((k) => k.char))).toBe(text);
    expect(() => decodeKeyRecords(Buffer.alloc(19))).toThrow(RangeError);
    expect(textRecords('').length).toBe(0);
  });
});
