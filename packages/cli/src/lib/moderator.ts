// Who moderates: a session of this host (--as or the pane's), or the relay admin (--admin, with
// the admin key from this machine's relay data dir).
import type { RelayClient } from '@crosstalk/client';
import type { CliContext } from '../handler.js';
import { connectAdmin, dataDirOf } from './admin.js';
import { connectHost } from './home.js';
import { resolveSession } from './identity.js';

export async function moderatorClient(
  ctx: CliContext,
  options: { readonly admin: boolean; readonly as?: string | undefined },
): Promise<{ client: RelayClient; as: string | undefined; who: string }> {
  if (options.admin) {
    const admin = await connectAdmin(dataDirOf(ctx, undefined));
    return { client: admin.client, as: undefined, who: 'the relay admin' };
  }
  const host = await connectHost(ctx);
  const as = await resolveSession(ctx, host.layout, options.as, { admin: true });
  return { client: host.client, as, who: as };
}
