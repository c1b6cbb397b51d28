// The commands the conversation rules decide on, and what deciding yields.
import type { Actor, ModerationAction, PendingEvent } from '../types.js';

export type Outcome =
  | { kind: 'events'; events: PendingEvent[] }
  /** The idempotency key was seen before: the original result, nothing new. */
  | { kind: 'duplicate'; conversation: string; turn: number };

export interface OpenCommand {
  actor: Actor & { kind: 'session' };
  /** A fresh id from conversationId(); the caller retries with new randomness on collision. */
  id: string;
  topic: string;
  with: string[];
  moderator?: string;
  maxTurns?: number;
  body: string;
  next?: string[];
  key: string;
  at: string;
}

export interface PostCommand {
  actor: Actor & { kind: 'session' };
  conversation: string;
  expectedTurn: number;
  key: string;
  body: string;
  next?: string[];
  /** Proposes a decision; the text of the decision. */
  propose?: string;
  agree?: boolean;
  at: string;
}

export interface ModerateCommand {
  actor: Actor;
  conversation: string;
  action: ModerationAction;
  at: string;
}

export interface CloseCommand {
  actor: Actor;
  conversation: string;
  resolution: string;
  at: string;
}
