// `crosstalk agent join <relay-url> --invite <code>`: enroll this machine (a key pair made here;
// only the public key leaves it). --replace enrolls an enrolled home again (after a revoke, say);
// the old key and config stay until the relay has taken the new key.
import { resolve } from 'node:path';
import { defaultHostName, enroll, readAgentConfig } from '@crosstalk/agent';
import { checkName, CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { requiredText } from '../options/values.js';
import { layoutOf } from '../lib/home.js';
import { keyProtection } from '../lib/key-acl.js';
import type { AGENT_JOIN_OPTIONS } from '../spec/admin.js';

const handler: CommandHandler<typeof AGENT_JOIN_OPTIONS> = async (ctx, args, options) => {
  const relayUrl = requiredText(args[0], '<relay-url>');
  const { invite } = options;
  const layout = layoutOf(ctx);
  const existing = await readAgentConfig(layout.config).catch((err: unknown) => {
    if (err instanceof CrosstalkError && err.code === 'NOT_ENROLLED') return null;
    throw err;
  });
  if (existing && !options.replace) {
    throw new CrosstalkError('INVALID_REQUEST', `${layout.home} is already enrolled as host ${existing.host} with the relay at ${existing.relayUrl}`, {
      hint: `keep it (\`crosstalk doctor\` checks it); to enroll it again (revoked, key lost, another relay) add --replace: crosstalk agent join <relay-url> --invite <code> --replace; or enroll another home: CROSSTALK_HOME=<dir> crosstalk agent join …`,
      details: { home: layout.home, host: existing.host, relayUrl: existing.relayUrl },
    });
  }
  const host = options.host ?? existing?.host ?? checkName('host', defaultHostName(ctx.hostname));
  const conversationsDir = options.conversationsDir === undefined ? existing?.conversationsDir : resolve(ctx.cwd, options.conversationsDir);
  const result = await enroll({ relayUrl, invite, host, layout, conversationsDir, machineHostname: ctx.hostname, protectKey: keyProtection(ctx) });
  const data = {
    host: result.config.host,
    relayUrl: result.config.relayUrl,
    relayId: result.relayId,
    conversationsDir: result.config.conversationsDir,
    home: layout.home,
  };
  const text = [
    `enrolled ${layout.home} as host ${data.host} with the relay at ${data.relayUrl}${existing ? ` (replacing host ${existing.host} with ${existing.relayUrl})` : ''}`,
    `copies will be written to ${data.conversationsDir}`,
    existing
      ? 'restart the agent so it uses the new key: stop a running `crosstalk agent run` and start it again (or `crosstalk agent install` again)'
      : 'start the agent: `crosstalk agent run` (foreground) or `crosstalk agent install` (at every login)',
  ].join('\n');
  return { data, text };
};
export default handler;
