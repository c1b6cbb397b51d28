// What an agent may say on its link after the hello: receipts of its wake-ups, the presence of
// its own sessions, how far it has applied the log, and the screens it was asked for (peeks). Each marks the host as seen.
import { CrosstalkError, type ClientMessage } from '@crosstalk/core';
import { isoNow, type Services } from '../services.js';
import { receiptEvent } from '../state/receipts.js';

type AgentMessage = Extract<ClientMessage, { t: 'receipt' | 'presence' | 'ack' | 'peeked' }>;

export function handleAgentMessage(services: Services, host: string, msg: AgentMessage): void {
  services.activity.seen(host, isoNow(services));
  switch (msg.t) {
    case 'receipt':
      services.ledger.commit([receiptEvent(services.ledger.state, host, msg.receipt, isoNow(services))]);
      return;
    case 'presence':
      setPresence(services, host, msg.sessions);
      if (msg.states) setStates(services, host, msg.states);
      return;
    case 'peeked':
      services.peeks.answer(host, msg);
      return;
    case 'ack': {
      const head = services.ledger.events.durableSeq;
      if (msg.seq > head) throw new CrosstalkError('INVALID_REQUEST', `ack ${msg.seq} is beyond the head ${head}`);
      services.activity.setCursor(host, msg.seq);
      return;
    }
  }
}

/** Presence of the host's own sessions is taken; sessions of other hosts are refused by name. */
function setPresence(services: Services, host: string, sessions: Extract<AgentMessage, { t: 'presence' }>['sessions']): void {
  const foreign: string[] = [];
  for (const [session, status] of Object.entries(sessions)) {
    const owner = services.ledger.state.sessions.get(session)?.host;
    if (owner === undefined || owner === host) services.activity.setPresence(host, session, status);
    else foreign.push(session);
  }
  if (foreign.length > 0) throw new CrosstalkError('SESSION_NOT_OWNED', `presence ignored for sessions of other hosts: ${foreign.slice(0, 5).join(', ')}`);
}

/** What the host's own sessions are doing; sessions of other hosts are refused by name. */
function setStates(services: Services, host: string, states: NonNullable<Extract<AgentMessage, { t: 'presence' }>['states']>): void {
  const foreign: string[] = [];
  for (const [session, activity] of Object.entries(states)) {
    const owner = services.ledger.state.sessions.get(session)?.host;
    if (owner === undefined || owner === host) services.activity.setState(host, session, activity);
    else foreign.push(session);
  }
  if (foreign.length > 0) throw new CrosstalkError('SESSION_NOT_OWNED', `states ignored for sessions of other hosts: ${foreign.slice(0, 5).join(', ')}`);
}
