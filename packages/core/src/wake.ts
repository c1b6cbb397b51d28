// The fixed wake-up lines typed into a session's terminal (SPEC §6). Only validated ids and
// names and the local copy path go in; the result is still sanitised to one safe line. Each line
// names the cheap read first (`crosstalk read --new`: what the session has not seen) and the whole
// copy second, then the command to answer with. A line is never cut: when the copy's path would
// push it past the bound (a long path with the longest names), the whole conversation is named by
// `crosstalk read <id>` instead, which every kind of line fits with room to spare.
import { stripUnsafe } from './text.js';

/**
 * The longest line typed. Claude Code shows a paste of more than 800 characters as
 * `[Pasted text …]`, and the agent checks that the input holds exactly the line before Enter.
 */
export const WAKE_MAX_CHARS = 800;

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

/** The parts of a line: what happened, where to read, what to run. */
interface Parts {
  opening: string;
  conversation: string;
  session: string;
  copyPath: string;
  action: string;
}

function compose(p: Parts, whole: string): string {
  return `${p.opening} New turns: crosstalk read ${p.conversation} --new --as ${p.session}; whole conversation: ${whole}. ${p.action}`;
}

/** The line naming the copy's path, or `crosstalk read <id>` when the path would not fit. */
function line(p: Parts): string {
  const full = stripUnsafe(compose(p, p.copyPath));
  return sanitizeWakeText([...full].length <= WAKE_MAX_CHARS ? full : compose(p, `crosstalk read ${p.conversation}`));
}

export function wakeText(reason: WakeReason): string {
  const again = reason.attempt > 1 ? 'reminder: ' : '';
  const { conversation: id, session } = reason;
  const common = { conversation: id, session, copyPath: reason.copyPath };
  switch (reason.kind) {
    case 'turn':
      return line({
        ...common,
        opening: `crosstalk: ${again}your turn in ${id} (turn ${reason.turn}/${reason.maxTurns}).`,
        action: `Answer with: crosstalk reply ${id} --as ${session} --expect-turn ${reason.turn}`,
      });
    case 'limit':
      return line({
        ...common,
        opening: `crosstalk: ${again}${id} reached its limit of ${reason.maxTurns} turns; you moderate it.`,
        action: `Extend: crosstalk moderate ${id} --extend 10 --as ${session}; or close: crosstalk close ${id} --as ${session} --resolution <text>`,
      });
    case 'unanswered':
      return line({
        ...common,
        opening: `crosstalk: ${reason.silent} has not answered in ${id}; you moderate it.`,
        action: `Hand the floor on: crosstalk moderate ${id} --next <session> --as ${session}`,
      });
  }
}
