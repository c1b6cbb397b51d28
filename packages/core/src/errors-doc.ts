import { ERRORS, EXIT } from './errors.js';

/** docs/ERRORS.md, generated from the catalogue so the docs cannot drift from the code. */
export function renderErrorsDoc(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = Object.entries(ERRORS).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.exit} | ${cell(e.message)} | ${cell(e.hint)} |`);
  const exits = Object.entries(EXIT).map(([name, n]) => `| ${n} | ${name} |`);
  return `# Error codes

Every error crosstalk reports carries a stable \`code\`, a \`message\` and a \`hint\` saying what
to do next. The relay answers errors as \`{"code","message","hint","details"?}\` with the HTTP
status below; the CLI prints them on stderr (or as JSON on stdout with \`--json\`) and exits with
the exit code below. This file is generated from \`packages/core/src/errors.ts\` by
\`npm run docs\`; a test checks that it is current.

## Exit codes

| exit | meaning |
|---|---|
${exits.join('\n')}

## Codes

| code | HTTP | exit | message | what to do |
|---|---|---|---|---|
${rows.join('\n')}
`;
}
