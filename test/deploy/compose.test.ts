// docker-compose.yml and the Caddyfile, read and checked without Docker: the relay service, its
// named volume, health check and published port, and the optional TLS proxy.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoFile } from '../harness/index.js';
import { interpolate, parseDockerfile, readRepoFile } from './support.js';

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  init?: boolean;
  restart?: string;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
}

const compose = parseYaml(readRepoFile('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const relay = compose.services.relay!;
const tls = compose.services.tls!;

describe('docker-compose.yml', () => {
  it('builds the relay from the Dockerfile, under an init process, restarted unless stopped', () => {
    expect(relay.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(relay.init).toBe(true);
    expect(relay.restart).toBe('unless-stopped');
    expect(relay.profiles).toBeUndefined();
  });

  it('keeps /data on a named volume, not a bind mount', () => {
    expect(relay.volumes).toEqual(['relay-data:/data']);
    const [source, target] = relay.volumes![0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(source);
    expect(source).not.toMatch(/^[./~]/);
    const runtime = parseDockerfile(readRepoFile('Dockerfile')).stages.at(-1)!;
    expect(runtime.instructions.filter((i) => i.op === 'VOLUME').map((i) => i.args)).toEqual([target]);
  });

  it('publishes the port on 127.0.0.1:7717 unless CROSSTALK_BIND / CROSSTALK_PORT say otherwise', () => {
    expect(relay.ports).toHaveLength(1);
    const port = relay.ports![0]!;
    expect(interpolate(port, {})).toBe('127.0.0.1:7717:7717');
    expect(interpolate(port, { CROSSTALK_BIND: '0.0.0.0' })).toBe('0.0.0.0:7717:7717');
    expect(interpolate(port, { CROSSTALK_BIND: '192.168.1.20', CROSSTALK_PORT: '8443' })).toBe('192.168.1.20:8443:7717');
    const runtime = parseDockerfile(readRepoFile('Dockerfile')).stages.at(-1)!;
    expect(runtime.instructions.find((i) => i.op === 'EXPOSE')!.args).toBe(port.split(':').at(-1));
  });

  it('passes CROSSTALK_PUBLIC_URL on to the relay, so `relay invite` inside it prints that address', () => {
    expect(Object.keys(relay.environment!)).toEqual(['CROSSTALK_PUBLIC_URL']);
    expect(interpolate(relay.environment!.CROSSTALK_PUBLIC_URL!, {})).toBe('');
    expect(interpolate(relay.environment!.CROSSTALK_PUBLIC_URL!, { CROSSTALK_PUBLIC_URL: 'https://crosstalk.lan' })).toBe('https://crosstalk.lan');
  });

  it('checks health with the same script as the image, which exists in the repository', () => {
    expect(relay.healthcheck!.test).toEqual(['CMD', 'node', '/app/deploy/healthcheck.mjs']);
    expect(relay.healthcheck!.retries).toBeGreaterThan(0);
    expect(existsSync(repoFile('deploy/healthcheck.mjs'))).toBe(true);
    expect(readRepoFile('Dockerfile')).toContain('CMD ["node", "/app/deploy/healthcheck.mjs"]');
  });

  it('has an optional tls profile: Caddy in front of a healthy relay, its state on named volumes', () => {
    expect(tls.profiles).toEqual(['tls']);
    expect(tls.image).toMatch(/^caddy:2(\b|$)/);
    expect(tls.depends_on).toEqual({ relay: { condition: 'service_healthy' } });
    expect(tls.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(existsSync(repoFile('deploy/Caddyfile'))).toBe(true);
    for (const v of ['caddy-data:/data', 'caddy-config:/config']) {
      expect(tls.volumes).toContain(v);
      expect(Object.keys(compose.volumes)).toContain(v.split(':')[0]);
    }
    expect(tls.ports!.map((p) => interpolate(p, {}))).toEqual(['0.0.0.0:443:443', '0.0.0.0:80:80']);
    expect(interpolate(tls.environment!.CROSSTALK_TLS!, {})).toBe('internal');
  });
});

describe('deploy/Caddyfile', () => {
  const caddyfile = readRepoFile('deploy/Caddyfile');
  const directives = caddyfile
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  it('serves the configured name and proxies everything to the relay service', () => {
    expect(directives[0]).toBe('{$CROSSTALK_DOMAIN:crosstalk.lan} {');
    expect(directives).toContain('tls {$CROSSTALK_TLS:internal}');
    expect(directives).toContain('reverse_proxy relay:7717');
    expect(directives.at(-1)).toBe('}');
  });

  it('does not strip or rewrite the headers the relay needs', () => {
    // Authorization carries the token; Upgrade and Connection carry the WebSocket handshake.
    expect(caddyfile).not.toMatch(/header_up\s+-?(Authorization|Upgrade|Connection)/i);
    expect(caddyfile).not.toMatch(/^\s*header\s+-/m);
  });
});
