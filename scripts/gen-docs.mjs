// Regenerates the docs that are derived from code (run after a build): npm run docs
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '@crosstalk/core/errors-doc';

writeFileSync(new URL('../docs/ERRORS.md', import.meta.url), renderErrorsDoc());
