// `crosstalk relay invite`: mint a one-time invite with the admin key and print the exact
// `crosstalk agent join` line to paste on the other machine.
import { normalizeRelayUrl } from '@crosstalk/agent';
import type { CommandHandler } from '../handler.js';
import { connectAdmin, dataDirOf } from '../lib/admin.js';
import { joinUrlFor } from '../lib/lan.js';
import { say } from '../output.js';
import type { INVITE_OPTIONS } from '../spec/admin.js';

const handler: CommandHandler<typeof INVITE_OPTIONS> = async (ctx, _args, options) => {
  const { host, expires: expiresIn } = options;
  // --url, else the address the relay's operator configured (docker compose passes it on).
  const url = options.url ?? ctx.publicUrl;
  const given = url === undefined ? undefined : normalizeRelayUrl(url);
  const admin = await connectAdmin(dataDirOf(ctx, options.dataDir), given);
  // The address first: no invite is spent on a line that could not be used.
  const target = given === undefined ? await joinUrlFor(admin.relayUrl, admin.relayId) : { url: given };
  // An invite for a host that is enrolled and not revoked can only be refused when it is used.
  if (host !== undefined) {
    const enrolled = (await admin.client.listHosts()).hosts.find((h) => h.name === host && h.revokedAt === null);
    if (enrolled) {
      say(
        ctx,
        `warning: host ${host} is enrolled (since ${enrolled.enrolledAt}), so \`agent join\` with this invite will be refused (HOST_TAKEN); ` +
          `to enroll that machine again, revoke it first (\`crosstalk relay revoke ${host}\`), then it joins with --replace; for a new machine, pick another --host`,
      );
    }
  }
  const minted = await admin.client.createInvite({ expiresIn, ...(host === undefined ? {} : { host }) });
  const command = `crosstalk agent join ${target.url} --invite ${minted.invite}${host === undefined ? '' : ` --host ${host}`}`;
  if (!ctx.json) {
    say(ctx, `invite for ${host === undefined ? 'any host name' : `host ${host}`}, valid once until ${minted.expiresAt}; run this on the other machine:`);
    if (target.note) say(ctx, `(${target.note})`);
  }
  return {
    data: { invite: minted.invite, id: minted.id, host: minted.host, expiresAt: minted.expiresAt, relayUrl: target.url, command },
    text: command,
  };
};
export default handler;
