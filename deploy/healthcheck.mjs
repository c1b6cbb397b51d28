#!/usr/bin/env node
// Health check for the relay container (the image has no curl):
//   node healthcheck.mjs [url] [--timeout-ms N]
// Asks GET /v1/health (default http://127.0.0.1:7717/v1/health) and exits 0 when the relay
// answers 200 with {"ok": true, "relayId": …}, 1 otherwise (Docker reserves 2), printing one line.
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';

const DEFAULT_URL = 'http://127.0.0.1:7717/v1/health';
const MAX_BODY_BYTES = 64 * 1024;

function check(url, timeoutMs) {
  return new Promise((settle) => {
    // One deadline for the whole exchange, so a relay that trickles its answer fails too.
    const timer = setTimeout(() => {
      req.destroy();
      resolve(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    const resolve = (result) => {
      clearTimeout(timer);
      settle(result);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { headers: { accept: 'application/json' } }, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy();
          resolve(`answer larger than ${MAX_BODY_BYTES} bytes`);
        } else chunks.push(chunk);
      });
      res.on('error', (err) => resolve(err.message));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(`HTTP ${res.statusCode}`);
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return resolve('answer is not JSON');
        }
        if (body === null || typeof body !== 'object' || body.ok !== true || typeof body.relayId !== 'string') {
          return resolve('answer does not say ok');
        }
        resolve({ relayId: body.relayId, epoch: body.epoch, head: body.head });
      });
    });
    req.on('error', (err) => resolve(err.message));
  });
}

async function main() {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ allowPositionals: true, options: { 'timeout-ms': { type: 'string' } } }));
  } catch (err) {
    process.stderr.write(`${err.message}\nusage: healthcheck.mjs [url] [--timeout-ms N]\n`);
    return 1;
  }
  const timeoutMs = values['timeout-ms'] === undefined ? 4000 : Number(values['timeout-ms']);
  let url;
  try {
    url = new URL(positionals[0] ?? DEFAULT_URL);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new Error('bad timeout');
  } catch {
    process.stderr.write('usage: healthcheck.mjs [http(s) url] [--timeout-ms N]\n');
    return 1;
  }
  const result = await check(url, timeoutMs);
  if (typeof result === 'string') {
    process.stdout.write(`unhealthy: ${url.href}: ${result}\n`);
    return 1;
  }
  process.stdout.write(`healthy: relay ${result.relayId}, epoch ${result.epoch}, head ${result.head}\n`);
  return 0;
}

process.exitCode = await main();
