// `crosstalk relay invite`: mint a one-time invite with the admin key and print the exact
// `crosstalk agent join` line to paste on the other machine.
import { normalizeRelayUrl } from '@crosstalk/agent';
import { checkName } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { connectAdmin, dataDirOf } from '../lib/admin.js';
import { duration } from '../lib/args.js';
import { joinUrlFor } from '../lib/lan.js';
import { say } from '../output.js';

const handler: CommandHandler = async (ctx, _args, options) => {
  const host = options.host === undefined ? undefined : checkName('host', options.host);
  const expiresIn = duration(options.expires ?? '1h', '--expires', 60, 30 * 86_400);
  // --url, else the address the relay's operator configured (docker compose passes it on).
  const url = typeof options.url === 'string' ? options.url : ctx.publicUrl;
  const given = url === undefined ? undefined : normalizeRelayUrl(url);
  const admin = await connectAdmin(dataDirOf(ctx, options.dataDir), given);
  // The address first: no invite is spent on a line that could not be used.
  const target = given === undefined ? await joinUrlFor(admin.relayUrl, admin.relayId) : { url: given };
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
