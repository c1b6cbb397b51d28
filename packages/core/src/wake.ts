// The fixed wake-up lines typed into a session's terminal (SPEC §6). Only validated ids and
// names and the local copy path go in; the result is still sanitised to one safe line.
import { stripUnsafe } from './text.js';

export const WAKE_MAX_CHARS = 600;

export type WakeReason =
  /** It is this session's turn. */
  | { kind: 'turn'; conversation: string; session: string; turn: number; maxTurns: number; copyPath: string; attempt: number }
  /** The conversation reached its limit; the moderator holds the floor. */
  | { kind: 'limit'; conversation: string; session: string; maxTurns: number; copyPath: string; attempt: number }
  /** A participant did not answer after its nudges; tell the moderator. */
  | { kind: 'unanswered'; conversation: string; session: string; silent: string; copyPath: string; attempt: number };

/** Makes any text safe to type: one line, no controls, bounded, never a slash/bang command. */
export function sanitizeWakeText(text: string): string {
  let line = stripUnsafe(text);
  line = line.replace(/^[!/@#$\s]+/, '');
  if ([...line].length > WAKE_MAX_CHARS) line = `${[...line].slice(0, WAKE_MAX_CHARS - 1).join('')}…`;
  return line;
}

export function wakeText(reason: WakeReason): string {
  const again = reason.attempt > 1 ? 'reminder: ' : '';
  switch (reason.kind) {
    case 'turn':
      return sanitizeWakeText(
        `crosstalk: ${again}your turn in ${reason.conversation} (turn ${reason.turn}/${reason.maxTurns}). ` +
          `Read ${reason.copyPath}, then answer with: crosstalk reply ${reason.conversation} --as ${reason.session} --expect-turn ${reason.turn}`,
      );
    case 'limit':
      return sanitizeWakeText(
        `crosstalk: ${again}${reason.conversation} reached its limit of ${reason.maxTurns} turns and you moderate it. ` +
          `Read ${reason.copyPath}, then extend with: crosstalk moderate ${reason.conversation} --extend 10 --as ${reason.session} ` +
          `or close with: crosstalk close ${reason.conversation} --as ${reason.session} --resolution <text>`,
      );
    case 'unanswered':
      return sanitizeWakeText(
        `crosstalk: ${reason.silent} has not answered in ${reason.conversation} and you moderate it. ` +
          `Read ${reason.copyPath}, then hand the floor on with: crosstalk moderate ${reason.conversation} --next <session> --as ${reason.session}`,
      );
  }
}
