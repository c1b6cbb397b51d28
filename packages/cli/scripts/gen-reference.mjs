// Writes docs/CLI.md and the README's command reference from the command table. Run after a
// build: node packages/cli/scripts/gen-reference.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { renderCliDoc, withReadmeSection } from '../dist/reference/index.js';

const root = new URL('../../../', import.meta.url);
writeFileSync(new URL('docs/CLI.md', root), renderCliDoc());
const readme = new URL('README.md', root);
writeFileSync(readme, withReadmeSection(readFileSync(readme, 'utf8')));
