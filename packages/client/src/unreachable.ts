// What to tell someone whose relay does not answer: where it was looked for (never more of the
// URL than origin and path), and what to do, which depends on where it is and on what refused.
import { CrosstalkError } from '@crosstalk/core';

/** The URL a message shows: origin and path, never more. */
export function displayUrl(relayUrl: string): string {
  try {
    const u = new URL(relayUrl);
    return `${u.origin}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return relayUrl.slice(0, 200);
  }
}

/** Whether the URL names this machine (a relay `crosstalk up` or `relay serve` would run here). */
export function isLoopbackUrl(relayUrl: string): boolean {
  try {
    const host = new URL(relayUrl).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

/** What to do about a relay that does not answer, depending on where it is. */
export function unreachableHint(relayUrl: string, options: { suggestDoctor?: boolean } = {}): string {
  if (isLoopbackUrl(relayUrl)) return 'the relay runs on this machine: start it with `crosstalk up` (relay and agent together) or `crosstalk relay serve`';
  const check = `check that the relay runs and that this machine reaches ${displayUrl(relayUrl)} (address, firewall, VPN)`;
  return options.suggestDoctor === false ? check : `${check}; \`crosstalk doctor\` checks the whole setup`;
}

/**
 * EPERM and EACCES on connect come from the operating system, not the network: a sandbox around
 * this process (Codex runs shell commands in one, without network by default) forbade it.
 */
export function sandboxBlocked(why: string): boolean {
  return why === 'EPERM' || why === 'EACCES';
}

export const SANDBOX_HINT =
  'a sandbox around this command blocks network connections (Codex runs shell commands in one by default): ' +
  "run `crosstalk skill install` once on this machine so that crosstalk's conversation commands may run outside it, " +
  'then start the coding agent again; `crosstalk doctor` shows what is installed';

export function unreachable(relayUrl: string, why: string, cause?: unknown): CrosstalkError {
  const blocked = sandboxBlocked(why);
  const message = blocked
    ? `could not connect to the relay at ${displayUrl(relayUrl)}: the connection was not allowed (${why})`
    : `relay unreachable at ${displayUrl(relayUrl)} (${why})`;
  return new CrosstalkError('RELAY_UNREACHABLE', message, {
    hint: blocked ? SANDBOX_HINT : unreachableHint(relayUrl),
    details: { relayUrl: displayUrl(relayUrl) },
    cause,
  });
}
