// Build step: bundles the CLI into dist/bundle, one chunk per command, so a command loads only
// the code it runs, from a few files instead of hundreds of modules. This is what `crosstalk`
// runs (package.json "bin"); dist/*.js stays the unbundled library.
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const here = (p) => new URL(p, import.meta.url).pathname;
const outdir = here('../dist/bundle');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  metafile: true,
  entryPoints: {
    bin: here('../dist/bin.js'),
    // Started as its own process to type into a Windows console (agent/src/terminals/windows-console);
    // the agent finds it as ./helper.js beside its own code, bundled or not.
    helper: here('../../agent/dist/terminals/windows-console/helper.js'),
    // The relay builds snapshots in a worker thread it starts from ./snapshot-worker.js beside its
    // code when that file is there (bundled), and `crosstalk demo` runs its scripted sessions from
    // ./demo-session.js: the installed package holds only this directory.
    'snapshot-worker': here('../../relay/dist/store/snapshot-worker.js'),
    'demo-session': here('../dist/demo/session.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native or optional at run time, and pino's transports load by file name: resolved from node_modules.
  external: ['koffi', 'pino', 'bufferutil', 'utf-8-validate'],
  // CommonJS dependencies call require() for node's own modules.
  banner: { js: "import { createRequire as __crosstalkRequire } from 'node:module'; const require = __crosstalkRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(here('../dist/help.txt'), `${outdir}/help.txt`);
// The web view's browser files, found beside the chunk that serves them (packages/web/src/assets.ts).
cpSync(here('../../web/dist/browser'), `${outdir}/browser`, { recursive: true });
if (process.argv.includes('--analyze')) console.log(JSON.stringify(result.metafile));
