// Shared set-up of the load scenarios: a relay process, enrolled hosts, and one conversation per
// posting slot, opened by a session of one of the hosts (its moderator) with a peer session.
import { randomBytes } from 'node:crypto';
import { adminOf, enrollHosts } from './hosts.mjs';
import { pool } from './pool.mjs';
import { startEntryRelay } from './relay.mjs';

export async function prepareLoad(ctx, { name, hosts: hostCount, slots: slotCount }) {
  const dataDir = await ctx.tempDir(name);
  const relay = await startEntryRelay(dataDir, {}, { nodeArgs: ['--expose-gc', ...ctx.relayNodeArgs] });
  ctx.defer(() => relay.stop());
  ctx.logs(() => relay.logs());
  const admin = await adminOf(relay.url, dataDir, relay.relayId);
  const names = Array.from({ length: hostCount }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  const hosts = await enrollHosts(relay.url, admin, relay.relayId, names, 16);
  const slots = await pool(
    Array.from({ length: slotCount }, (_, i) => i),
    16,
    async (i) => {
      const host = hosts[i % hosts.length];
      const as = `poster-${i}`;
      const peer = `peer-${i}`;
      for (const session of [as, peer]) await host.client.registerSession({ name: session, kind: 'other', wake: { type: 'none' } });
      const opened = await host.client.openConversation({
        as,
        topic: `load ${i}`,
        with: [peer],
        maxTurns: 1000,
        body: 'opening the load conversation',
        idempotencyKey: randomBytes(9).toString('base64url'),
      });
      return { host: { name: host.name, privateJwk: host.privateJwk }, as, conversation: opened.conversation.id, turn: 1 };
    },
  );
  const head = (await admin.events(0, { limit: 1 })).head;
  return { relay, dataDir, hosts, slots, head };
}
