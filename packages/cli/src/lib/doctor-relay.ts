// doctor's checks of this home's enrollment and of its relay: reachable, the same relay, the
// same protocol, clocks close enough for tokens, and this host's key accepted.
import { readAgentConfig, readHostKey, type AgentConfig, type HomeLayout } from '@crosstalk/agent';
import { createRelayClient, unreachableHint } from '@crosstalk/client';
import { CrosstalkError, LIMITS, PROTOCOL_VERSION, relayMismatch, type Health } from '@crosstalk/core';
import { tokenSigner } from '@crosstalk/core/token';
import { fail, failure, ok, skip, warn, type Check } from './doctor-check.js';

/** Clock skew beyond this draws a warning; beyond the token tolerance requests fail. */
const SKEW_WARN_MS = 5_000;

export async function enrollmentCheck(layout: HomeLayout): Promise<{ check: Check; config: AgentConfig | null }> {
  try {
    const config = await readAgentConfig(layout.config);
    return { check: ok('enrollment', `${layout.home} is enrolled as host ${config.host} with the relay at ${config.relayUrl}`), config };
  } catch (err) {
    const f = failure(err);
    return { check: fail('enrollment', f.message, f.hint), config: null };
  }
}

function relayCheck(config: AgentConfig, health: Health, rttMs: number): Check {
  if (health.protocol !== PROTOCOL_VERSION) {
    const mismatch = relayMismatch(config.relayUrl, health.protocol, health.version);
    return fail('relay', mismatch.message, mismatch.hint);
  }
  if (health.relayId !== config.relayId) {
    return fail(
      'relay',
      `the relay at ${config.relayUrl} is another relay (id ${health.relayId}, enrolled with ${config.relayId})`,
      'point this home at its relay again, or enroll it with this one (`crosstalk agent join`)',
    );
  }
  return ok('relay', `reachable at ${config.relayUrl}: protocol ${health.protocol}, relay version ${health.version}, ${rttMs} ms`);
}

/** This clock against the relay's, taken halfway through the round trip. */
function clockCheck(health: Health, sentAt: number, rttMs: number): Check {
  const relayTime = Date.parse(health.time);
  const skew = Math.round(sentAt + rttMs / 2 - relayTime);
  const shown = `${(Math.abs(skew) / 1000).toFixed(1)} s ${skew >= 0 ? 'ahead of' : 'behind'} the relay`;
  if (!Number.isFinite(relayTime)) return warn('clock', 'the relay sent no usable time', 'check the relay version');
  if (Math.abs(skew) > LIMITS.clockToleranceSeconds * 1000) {
    return fail(
      'clock',
      `this clock is ${shown}; requests are refused beyond ${LIMITS.clockToleranceSeconds} s`,
      "turn on time synchronisation (NTP) on this machine and on the relay's",
    );
  }
  if (Math.abs(skew) > SKEW_WARN_MS) return warn('clock', `this clock is ${shown}`, 'turn on time synchronisation (NTP); beyond 30 s requests are refused');
  return ok('clock', `within ${Math.max(1, Math.ceil(Math.abs(skew) / 1000))} s of the relay's`);
}

/** The relay and clock checks, and the relay's health when it answered. */
export async function relayChecks(config: AgentConfig | null, now: () => number): Promise<{ checks: Check[]; health: Health | null }> {
  if (!config) return { checks: [skip('relay', 'needs an enrollment'), skip('clock', 'needs an enrollment')], health: null };
  const client = createRelayClient({ relayUrl: config.relayUrl, timeoutMs: 5_000 });
  const sentAt = now();
  try {
    const health = await client.health();
    const rttMs = now() - sentAt;
    return { checks: [relayCheck(config, health, rttMs), clockCheck(health, sentAt, rttMs)], health };
  } catch (err) {
    const f = failure(err);
    // This is the whole-setup check already: say what to do, not to run it.
    const hint = err instanceof CrosstalkError && err.code === 'RELAY_UNREACHABLE' ? unreachableHint(config.relayUrl, { suggestDoctor: false }) : f.hint;
    return { checks: [fail('relay', f.message, hint), skip('clock', 'needs the relay')], health: null };
  }
}

/** Whether the relay accepts this host's key (only asked of the relay this home enrolled with). */
export async function authCheck(layout: HomeLayout, config: AgentConfig | null, health: Health | null): Promise<Check> {
  if (!config || !health || health.relayId !== config.relayId) return skip('auth', 'needs a reachable relay');
  try {
    const signer = await tokenSigner(await readHostKey(layout.hostKey), config.host, config.relayId);
    const client = createRelayClient({ relayUrl: config.relayUrl, signer, timeoutMs: 5_000 });
    const { sessions } = await client.listSessions();
    const mine = sessions.filter((s) => s.host === config.host).length;
    return ok('auth', `the relay accepts this host's key (host ${config.host}, ${mine} session${mine === 1 ? '' : 's'} registered)`);
  } catch (err) {
    const f = failure(err);
    return fail('auth', f.message, f.hint);
  }
}
