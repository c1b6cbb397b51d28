// Build step: the browser's files are served as written (no build step of their own); they are
// copied beside the compiled server, and beside the CLI's bundled chunks, where it looks for them.
import { cpSync, mkdirSync } from 'node:fs';

const here = (p) => new URL(p, import.meta.url).pathname;
mkdirSync(here('../dist/browser'), { recursive: true });
cpSync(here('../src/browser'), here('../dist/browser'), { recursive: true });
