// HTTP request bodies (docs/PROTOCOL.md). Strict: a field the relay does not know is refused.
import * as z from 'zod';
import { moderationAction } from './conversation.js';
import { bodyText, decisionText, idempotencyKey, maxTurns, NameSchema, nameList, SessionKindSchema, topicText, turnNumber } from './fields.js';
import { schemaOnce } from './lazy.js';
import { ed25519PublicJwk, wakeTarget } from './sessions.js';

export const enrollRequest = schemaOnce(() =>
  z.strictObject({
    invite: z.string().min(1).max(200),
    host: NameSchema,
    publicKey: ed25519PublicJwk(),
  }),
);

export const inviteRequest = schemaOnce(() =>
  z.strictObject({
    host: NameSchema.optional(),
    /** Seconds until the invite expires: one minute to thirty days; default one hour. */
    expiresIn: z
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .optional(),
  }),
);

export const registerSessionRequest = schemaOnce(() =>
  z.strictObject({
    name: NameSchema,
    kind: SessionKindSchema,
    wake: wakeTarget(),
  }),
);

export const openRequest = schemaOnce(() =>
  z.strictObject({
    as: NameSchema,
    topic: topicText(),
    with: nameList().min(1),
    moderator: NameSchema.optional(),
    maxTurns: maxTurns().optional(),
    body: bodyText(),
    next: nameList().optional(),
    idempotencyKey: idempotencyKey(),
  }),
);

export const postRequest = schemaOnce(() =>
  z.strictObject({
    as: NameSchema,
    expectedTurn: turnNumber(),
    idempotencyKey: idempotencyKey(),
    body: bodyText(),
    next: nameList().optional(),
    propose: decisionText().optional(),
    agree: z.boolean().optional(),
  }),
);

export const moderateRequest = schemaOnce(() =>
  z.strictObject({
    /** The moderator session; omitted when the request carries the admin key. */
    as: NameSchema.optional(),
    action: moderationAction(),
  }),
);

export const closeRequest = schemaOnce(() =>
  z.strictObject({
    as: NameSchema.optional(),
    resolution: decisionText(),
  }),
);

/** A host's new public key, sent signed with the key it replaces (`POST /v1/hosts/:name/key`). */
export const rotateKeyRequest = schemaOnce(() => z.strictObject({ publicKey: ed25519PublicJwk() }));

export const EnrollRequestSchema = z.lazy(enrollRequest);
export const InviteRequestSchema = z.lazy(inviteRequest);
export const RegisterSessionRequestSchema = z.lazy(registerSessionRequest);
export const OpenRequestSchema = z.lazy(openRequest);
export const PostRequestSchema = z.lazy(postRequest);
export const ModerateRequestSchema = z.lazy(moderateRequest);
export const CloseRequestSchema = z.lazy(closeRequest);
export const RotateKeyRequestSchema = z.lazy(rotateKeyRequest);
/** Archiving or deleting a conversation: the moderator session acting (the admin names none). */
export const removalRequest = schemaOnce(() => z.strictObject({ as: NameSchema.optional() }));
export const RemovalRequestSchema = z.lazy(removalRequest);
