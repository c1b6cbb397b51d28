// What the mock model does with the text a coding agent sent it: run the one shell command the
// text names, as the crosstalk guide teaches that agent to. A `RUN: <cmd>` line is run as it
// stands; a wake-up line is answered with the reply command it names (the body as a quoted
// here-document for Claude Code, in `--body '…'` for Codex, whose sandbox rules need plain words);
// a turn-limit line is answered by closing the conversation. Any other text is a test failure: a
// real agent must only ever receive what the test or crosstalk typed.

export interface Decision {
  /** The shell command the agent is to run, or undefined when the text names none. */
  command?: string;
  /** Why there is no command, for the failure message. */
  why?: string;
}

/** How the agent passes a body, as the guide installed for it says. */
export type BodyStyle = 'heredoc' | 'argument';

const REPLY = /crosstalk reply ([a-z0-9-]+) --as ([a-z0-9-]+)(?: --expect-turn (\d+))?/;
const CLOSE = /crosstalk close ([a-z0-9-]+) --as ([a-z0-9-]+) --resolution/;
const RUN = /^RUN: (.+)$/m;

/** The body a session answers with: it names the session and the turn, so tests can find it. */
export function answerBody(session: string, turn: string | undefined): string {
  return `answer from ${session}${turn ? ` to turn ${turn}` : ''}`;
}

function withBody(command: string, body: string, style: BodyStyle): string {
  return style === 'heredoc' ? `${command} <<'EOF'\n${body}\nEOF` : `${command} --body '${body}'`;
}

export function decide(text: string, style: BodyStyle = 'heredoc'): Decision {
  const run = RUN.exec(text);
  if (run) return { command: (run[1] as string).trim() };
  const reply = REPLY.exec(text);
  if (reply) {
    const [line, , session, turn] = reply as unknown as [string, string, string, string | undefined];
    return { command: withBody(line, answerBody(session, turn), style) };
  }
  const close = CLOSE.exec(text);
  if (close) return { command: `crosstalk close ${close[1]} --as ${close[2]} --resolution 'the turn limit was reached'` };
  return { why: `no "RUN:" line and no crosstalk command in: ${JSON.stringify(text.slice(0, 400))}` };
}
