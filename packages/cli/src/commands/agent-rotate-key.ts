// `crosstalk agent rotate-key`: this host gets a new key pair; the relay takes the new public key on
// a request signed with the old one, which keeps working until the overlap ends.
import { rotateHostKey } from '@crosstalk/agent';
import type { CommandHandler } from '../handler.js';
import { layoutOf } from '../lib/home.js';
import { keyProtection } from '../lib/key-acl.js';

const handler: CommandHandler = async (ctx) => {
  const result = await rotateHostKey({ layout: layoutOf(ctx), protectKey: keyProtection(ctx) });
  const data = { host: result.host, publicKey: result.publicKey, previousUntil: result.previousUntil };
  const text =
    result.previousUntil === null
      ? `host ${result.host}: finished an interrupted rotation; the relay already had the new key (${result.publicKey})`
      : `host ${result.host} has a new key (${result.publicKey}); the old one works until ${result.previousUntil}. A running agent reconnects with the new key by itself.`;
  return { data, text };
};
export default handler;
