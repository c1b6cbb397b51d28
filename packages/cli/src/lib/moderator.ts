// Who moderates: a session of this host (--as or the pane's), through this host's agent when one
// runs, or the relay admin (--admin, with the admin key from this machine's relay data dir,
// straight to the relay). Archive and delete go straight to the relay with the moderator's client.
import type { RelayClient } from '@crosstalk/client';
import type { ModerateAnswer } from '@crosstalk/core';
import type { CliContext } from '../handler.js';
import { actingSession } from './acting.js';
import { type DirectClient, sendPost } from './post.js';

export async function moderation(
  ctx: CliContext,
  options: { readonly admin: boolean; readonly as?: string | undefined; readonly postTimeout: number; readonly verbose: boolean },
  op: 'moderate' | 'close',
  id: string,
  fields: Record<string, unknown>,
  direct: (client: DirectClient, body: Record<string, unknown>) => Promise<ModerateAnswer>,
): Promise<ModerateAnswer> {
  if (options.admin) {
    const { connectAdmin, dataDirOf } = await import('./admin.js');
    const admin = await connectAdmin(dataDirOf(ctx, undefined));
    return direct(admin.client, fields);
  }
  const as = await actingSession(ctx, options.as, { admin: true });
  return sendPost<ModerateAnswer>(
    ctx,
    { op, conversation: id, body: { ...fields, as }, direct },
    { postTimeout: options.postTimeout, verbose: options.verbose },
  );
}

/**
 * A client acting as the moderator, straight to the relay (archive, delete): a session of this
 * host signing with its key, or the relay admin.
 */
export async function moderatorClient(
  ctx: CliContext,
  options: { readonly admin: boolean; readonly as?: string | undefined },
): Promise<{ client: RelayClient; as: string | undefined; who: string }> {
  if (options.admin) {
    const { connectAdmin, dataDirOf } = await import('./admin.js');
    const admin = await connectAdmin(dataDirOf(ctx, undefined));
    return { client: admin.client, as: undefined, who: 'the relay admin' };
  }
  const { connectHost } = await import('./home.js');
  const host = await connectHost(ctx);
  const as = await actingSession(ctx, options.as, { admin: true });
  return { client: host.client, as, who: as };
}
