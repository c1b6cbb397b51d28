// JSON from outside (files, frames, bodies) is often not JSON; that is an answer, not a failure.
// Only JSON.parse's SyntaxError means "not JSON"; anything else is thrown on.

/** The parsed value, or undefined when the text is not JSON (JSON has no undefined). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
