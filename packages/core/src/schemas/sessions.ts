// Who takes part: a host's public key, sessions with where their terminal is, and the receipts a
// host agent reports after trying to wake one.
import * as z from 'zod';
import { LIMITS } from '../limits.js';
import { isValidText } from '../text.js';
import { iso, NameSchema, receiptStatus, SessionKindSchema, turnNumber } from './fields.js';
import { schemaOnce } from './lazy.js';

/** Ed25519 public key as a JWK. */
export const ed25519PublicJwk = schemaOnce(() =>
  z.strictObject({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  }),
);

const agentCommand = schemaOnce(() =>
  z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9._+-]+$/),
);

/** Where a session's terminal is, so its host agent can type a wake-up into it. */
export const wakeTarget = schemaOnce(() =>
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('tmux'),
      /** Pane id (`%N`), never a session or window name. */
      pane: z.string().regex(/^%\d{1,9}$/),
      /** Absolute path of the tmux server socket the pane lives on. */
      socket: z.string().min(1).max(1024).refine(isValidText),
      /** Process id of the pane's first process, as seen at join. */
      panePid: z
        .number()
        .int()
        .positive()
        .max(2 ** 31)
        .optional(),
      /** Command name of the coding agent running in the pane, as seen at join (e.g. `claude`). */
      agentCommand: agentCommand().optional(),
    }),
    z.strictObject({
      type: z.literal('console'),
      /** A process attached to the Windows console to type into. */
      pid: z
        .number()
        .int()
        .positive()
        .max(2 ** 32),
      /** Command name of the coding agent, as seen at join. */
      agentCommand: agentCommand().optional(),
    }),
    z.strictObject({ type: z.literal('none') }),
  ]),
);

/** The kinds of wake target, which every host may see (the target itself stays with its host). */
export const WAKE_TYPES = ['tmux', 'console', 'none'] as const;

export const session = schemaOnce(() =>
  z.strictObject({
    name: NameSchema,
    host: NameSchema,
    kind: SessionKindSchema,
    wake: wakeTarget(),
    joinedAt: iso(),
  }),
);

/** A receipt as a host agent sends it; the relay stamps the host. */
export const receiptBody = schemaOnce(() =>
  z.strictObject({
    session: NameSchema,
    conversation: NameSchema,
    /** The turn number the session was woken to write. */
    turn: turnNumber(),
    status: receiptStatus(),
    /** Stable reason code (see docs/PROTOCOL.md), e.g. `copy-mode`, `pane-gone`, `unanswered`. */
    reason: z
      .string()
      .max(LIMITS.reasonChars)
      .regex(/^[a-z0-9-]+(?:: [\x20-\x7e]*)?$/)
      .optional(),
    /** 1 for the first wake-up, 2+ for nudges. */
    attempt: z.number().int().min(1).max(100),
  }),
);

/** What a host agent reported after trying to wake a session, with the reporting host. */
export const receipt = schemaOnce(() => receiptBody().extend({ host: NameSchema }));

export const Ed25519PublicJwkSchema = z.lazy(ed25519PublicJwk);
export const WakeTargetSchema = z.lazy(wakeTarget);
export const SessionSchema = z.lazy(session);
export const ReceiptBodySchema = z.lazy(receiptBody);
