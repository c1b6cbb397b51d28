// Whether a typed line still waits on the pane's prompt, judged from `capture-pane -p -J`.

const TAIL_CHARS = 24;

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * True when the last non-empty line of the pane still ends with (the tail of) the text: the
 * application did not take the Enter. Only the tail is compared because applications draw long
 * input wrapped in their own boxes, so only its end is sure to share the prompt's last line.
 */
export function lineStillPending(capture: string, text: string): boolean {
  const lines = capture.split('\n').map(squash).filter((l) => l !== '');
  const last = lines[lines.length - 1];
  if (last === undefined) return false;
  const chars = [...squash(text)];
  const tail = chars.slice(-TAIL_CHARS).join('').trim();
  return tail !== '' && last.includes(tail);
}
