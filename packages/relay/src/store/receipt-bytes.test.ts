// Receipts folded from their bytes: only a record exactly as the relay writes a receipt is read
// so; anything else (another shape, an escape, another type) is left to the JSON parser.
import { describe, expect, it } from 'vitest';
import { receiptConversation } from './receipt-bytes.js';

/** `json` as a record line's bytes, and where its `{"seq":N,` ends. */
function at(json: string): [Buffer, number, number] {
  const buf = Buffer.from(`00000000 ${json}`);
  return [buf, 9 + json.indexOf(',') + 1, buf.length];
}

const receipt = (extra = '') =>
  `{"seq":12,"type":"receipt","at":"2026-12-06T08:00:00.000Z","receipt":{"session":"claude-win","host":"win-laptop","conversation":"users-api-7f3a","turn":3,"status":"delivered"${extra},"attempt":1}}`;

describe('receiptConversation', () => {
  it('reads the conversation of a receipt as the relay writes it, and of nothing else', () => {
    expect(receiptConversation(...at(receipt()))).toBe('users-api-7f3a');
    expect(receiptConversation(...at(receipt(',"reason":"busy"')))).toBe('users-api-7f3a');
    // Keys in another order, another type, an escape, a non-ASCII name: parsed instead.
    expect(
      receiptConversation(...at(receipt().replace('"type":"receipt","at":"2026-12-06T08:00:00.000Z"', '"at":"2026-12-06T08:00:00.000Z","type":"receipt"'))),
    ).toBeNull();
    expect(receiptConversation(...at(receipt().replace('"type":"receipt"', '"type":"receipts"')))).toBeNull();
    expect(receiptConversation(...at(receipt().replace('claude-win', 'claude\\"win')))).toBeNull();
    expect(receiptConversation(...at(receipt().replace('win-laptop', 'wïn')))).toBeNull();
    expect(receiptConversation(...at(receipt().replace('"host":"win-laptop",', '')))).toBeNull();
    expect(receiptConversation(...at('{"seq":12,"type":"turn.posted","at":"2026-12-06T08:00:00.000Z","conversation":"x"}'))).toBeNull();
    // Cut short anywhere: nothing read past the end.
    const [buf, start] = at(receipt());
    for (let end = start; end < buf.indexOf('users-api-7f3a') + 14; end++) expect(receiptConversation(buf, start, end)).toBeNull();
  });
});
