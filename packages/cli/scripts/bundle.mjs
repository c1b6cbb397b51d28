// Build step: bundles the CLI into dist/bundle, one chunk per command, so a command loads only
// the code it runs, from a few files instead of hundreds of modules. This is what `crosstalk`
// runs (package.json "bin"); dist/*.js stays the unbundled library.
//
// The fast entry (src/fast/entry.ts, what `reply`, `open`, … run on every turn) is built apart,
// as one file, fast.js, holding the posting commands it runs itself: node loads one module for
// them instead of twenty-odd chunks. What it imports only when needed (the direct way to the
// relay, the other commands) it takes from the chunks of the main build, so the two share those.
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';

const here = (p) => new URL(p, import.meta.url).pathname;
const cwd = process.cwd();
/** The commands fast.js holds itself; any other module it imports lazily comes from the chunks. */
const IN_FAST = ['reply', 'open', 'moderate', 'close'].map((c) => here(`../dist/commands/${c}.js`));
const BANNER = "import { createRequire as __crosstalkRequire } from 'node:module'; const require = __crosstalkRequire(import.meta.url);";
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
  plugins: [
    {
      // bin.js loads the fast entry from fast.js, built below.
      name: 'fast-entry-apart',
      setup(b) {
        b.onResolve({ filter: /^\.\/fast\/entry\.js$/ }, () => ({ path: './fast.js', external: true }));
      },
    },
  ],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native or optional at run time, and pino's transports load by file name: resolved from node_modules.
  external: ['koffi', 'pino', 'bufferutil', 'utf-8-validate'],
  // CommonJS dependencies call require() for node's own modules.
  banner: { js: BANNER },
  legalComments: 'none',
  logLevel: 'warning',
});

// The main build's chunk of each module imported lazily (every such module is a chunk of its own).
const chunkOf = new Map();
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  if (out.entryPoint) chunkOf.set(resolve(cwd, out.entryPoint), `./${relative(outdir, resolve(cwd, file))}`);
}
await build({
  entryPoints: { fast: here('../dist/fast/entry.js') },
  outdir,
  bundle: true,
  splitting: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['koffi', 'pino', 'bufferutil', 'utf-8-validate'],
  plugins: [
    {
      name: 'lazy-from-chunks',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.kind !== 'dynamic-import' || args.pluginData === 'lazy') return undefined;
          const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'lazy' });
          if (found.errors.length > 0 || IN_FAST.includes(found.path)) return undefined;
          const chunk = chunkOf.get(found.path);
          if (!chunk) return { errors: [{ text: `${found.path}, imported lazily by the fast entry, is no chunk of the main build` }] };
          return { path: chunk, external: true };
        });
      },
    },
  ],
  banner: { js: BANNER },
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(here('../dist/help.txt'), `${outdir}/help.txt`);
// The web view's browser files, found beside the chunk that serves them (packages/web/src/assets.ts).
cpSync(here('../../web/dist/browser'), `${outdir}/browser`, { recursive: true });
if (process.argv.includes('--analyze')) console.log(JSON.stringify(result.metafile));
