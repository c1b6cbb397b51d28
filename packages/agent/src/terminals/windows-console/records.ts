// Text → Windows console INPUT_RECORDs (KEY_EVENT), as WriteConsoleInputW takes them.
//
// INPUT_RECORD, 20 bytes, little endian:
//   0  WORD  EventType            KEY_EVENT = 1
//   2  (2 bytes padding: the union is 4-byte aligned)
//   4  BOOL  bKeyDown             1 down, 0 up
//   8  WORD  wRepeatCount         1
//  10  WORD  wVirtualKeyCode
//  12  WORD  wVirtualScanCode
//  14  WCHAR uChar.UnicodeChar    one UTF-16 code unit
//  16  DWORD dwControlKeyState    0

export const INPUT_RECORD_SIZE = 20;
const KEY_EVENT = 0x0001;
const VK_RETURN = 0x0d;
const ENTER_SCAN_CODE = 0x1c;
const VK_BACK = 0x08;
const BACKSPACE_SCAN_CODE = 0x0e;

export interface KeyRecord {
  down: boolean;
  virtualKey: number;
  scanCode: number;
  char: number;
}

function writeKeyRecord(buf: Buffer, index: number, key: KeyRecord): void {
  const o = index * INPUT_RECORD_SIZE;
  buf.writeUInt16LE(KEY_EVENT, o);
  buf.writeUInt16LE(0, o + 2);
  buf.writeUInt32LE(key.down ? 1 : 0, o + 4);
  buf.writeUInt16LE(1, o + 8);
  buf.writeUInt16LE(key.virtualKey, o + 10);
  buf.writeUInt16LE(key.scanCode, o + 12);
  buf.writeUInt16LE(key.char, o + 14);
  buf.writeUInt32LE(0, o + 16);
}

function encode(keys: readonly KeyRecord[]): Buffer {
  const buf = Buffer.alloc(keys.length * INPUT_RECORD_SIZE);
  for (const [i, key] of keys.entries()) writeKeyRecord(buf, i, key);
  return buf;
}

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff;

/**
 * A key-down and a key-up record per UTF-16 code unit, so a non-BMP character becomes its
 * surrogate pair. The virtual key is 0: readers then take the character from uChar (a real
 * key code such as 0x25 for '%' would read as an arrow key). The key-up of a surrogate carries
 * no character, because readers that pair surrogates across every record (crossterm) would
 * otherwise pair a high surrogate with its own key-up; readers that look only at key-downs
 * (libuv) pair them either way.
 */
export function textRecords(text: string): Buffer {
  const keys: KeyRecord[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    keys.push({ down: true, virtualKey: 0, scanCode: 0, char: unit });
    keys.push({ down: false, virtualKey: 0, scanCode: 0, char: isSurrogate(unit) ? 0 : unit });
  }
  return encode(keys);
}

/** Enter: VK_RETURN with its scan code and '\r', down then up. */
export function enterRecords(): Buffer {
  return encode([
    { down: true, virtualKey: VK_RETURN, scanCode: ENTER_SCAN_CODE, char: 0x0d },
    { down: false, virtualKey: VK_RETURN, scanCode: ENTER_SCAN_CODE, char: 0x0d },
  ]);
}

/** `count` Backspaces (VK_BACK, '\b'), each down then up: take back a line typed beside other text. */
export function backspaceRecords(count: number): Buffer {
  const key = { virtualKey: VK_BACK, scanCode: BACKSPACE_SCAN_CODE, char: 0x08 };
  return encode(
    Array.from({ length: count }, () => [
      { down: true, ...key },
      { down: false, ...key },
    ]).flat(),
  );
}

/** Reads records back (for tests and for checking what the helper was given). */
export function decodeKeyRecords(buf: Buffer): KeyRecord[] {
  if (buf.length % INPUT_RECORD_SIZE !== 0) throw new RangeError(`a record buffer is a multiple of ${INPUT_RECORD_SIZE} bytes`);
  const keys: KeyRecord[] = [];
  for (let o = 0; o < buf.length; o += INPUT_RECORD_SIZE) {
    if (buf.readUInt16LE(o) !== KEY_EVENT) throw new RangeError(`record at byte ${o} is not a KEY_EVENT`);
    keys.push({
      down: buf.readUInt32LE(o + 4) !== 0,
      virtualKey: buf.readUInt16LE(o + 10),
      scanCode: buf.readUInt16LE(o + 12),
      char: buf.readUInt16LE(o + 14),
    });
  }
  return keys;
}
