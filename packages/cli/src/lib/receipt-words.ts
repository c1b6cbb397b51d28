// A wake-up receipt in words for `crosstalk status`: what happened to the line typed for a
// session, and what (or whom) it waits for. The reason code and its detail come from the agent
// that tried (core's RECEIPT_REASONS); the host is the relay's record of who reported it.
import { RECEIPT_REASONS } from '@crosstalk/core';

export interface ReceiptLike {
  session: string;
  host?: string | undefined;
  status: 'delivered' | 'deferred' | 'failed';
  reason?: string | undefined;
}

/** `code: detail` as the receipt schema writes it. */
function splitReason(reason: string | undefined): { code: string; detail: string } {
  if (!reason) return { code: '', detail: '' };
  const at = reason.indexOf(': ');
  return at < 0 ? { code: reason, detail: '' } : { code: reason.slice(0, at), detail: reason.slice(at + 2) };
}

export function receiptWords(r: ReceiptLike): string {
  const on = r.host ? ` on host ${r.host}` : '';
  const { code, detail } = splitReason(r.reason);
  switch (code) {
    case '':
      return r.status === 'delivered' ? `woken${on}` : `${r.status}${on}`;
    case 'waiting-input':
      return `waiting for the person to answer ${detail || 'a dialog'} in ${r.session}'s coding agent${on}; nothing was typed`;
    case 'draft':
      return `held: ${r.session}'s input line${on} holds text nobody submitted; it is typed once the line is empty`;
    case 'busy':
      return `held: ${r.session}'s coding agent${on} is busy${detail ? ` (${detail})` : ''}`;
    case 'user-typing':
      return `held: someone is typing in ${r.session}'s pane${on}`;
    case 'copy-mode':
      return `held: ${r.session}'s pane${on} is in copy mode`;
    case 'screen-unknown':
      return `held: ${r.session}'s screen${on} shows no prompt crosstalk recognises${detail ? ` (${detail})` : ''}`;
    case 'waiting':
      return `told by its own crosstalk wait or ask${on}`;
    case 'gave-up':
      return `gave up${on}${detail ? ` (${detail})` : ''}; the moderator is told`;
    default: {
      const known = (RECEIPT_REASONS as Record<string, string>)[code];
      const what = known ? known.replace(/ \((?:deferred|failed|delivered)\)$/, '') : code;
      return `${r.status}${on}: ${what}${detail ? ` (${detail})` : ''}`;
    }
  }
}
