// docs/CLI.md and the README's command reference, generated from the command table (commands.ts)
// and the output table (output.ts), so neither can drift from the program.
// Regenerate after a build: node packages/cli/scripts/gen-reference.mjs
import { EXIT } from '@crosstalk/core/errors';
import { COMMANDS, type CommandSpec } from '../commands.js';
import { OUTPUT, SHAPES } from './output.js';

export const README_START = '<!-- reference:start -->';
export const README_END = '<!-- reference:end -->';

const GROUPS: Array<[CommandSpec['group'], string]> = [
  ['setup', 'Getting started'],
  ['sessions', 'For coding-agent sessions'],
  ['moderation', 'For humans and moderators'],
  ['admin', 'Relay and agent administration'],
];

const EXIT_MEANING: Record<keyof typeof EXIT, string> = {
  ok: 'ok',
  error: 'error (the message says which)',
  usage: 'usage: a wrong option, name or body',
  conflict: 'not your turn, or a conflict (the conversation moved on, is closed, …)',
  auth: 'authentication or permission',
  unreachable: 'the relay (or the agent) is unreachable',
  ended: '`wait`: the conversation ended, or is at its limit without you holding the floor',
  timeout: 'timed out (`--timeout`)',
  interrupted: 'interrupted (Ctrl-C) while waiting; a post interrupted before its acknowledgement fails with `POST_INTERRUPTED`, saying what became of it',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const name = (spec: CommandSpec) => spec.path.join(' ');
const usage = (spec: CommandSpec) =>
  `crosstalk ${[name(spec), spec.args ?? '', spec.options?.length || spec.json ? '[options]' : ''].filter((s) => s !== '').join(' ')}`;
const anchor = (spec: CommandSpec) => `crosstalk-${spec.path.join('-')}`;

function renderCommand(spec: CommandSpec): string {
  const out = [`### crosstalk ${name(spec)}`, '', `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`, ''];
  if (spec.description) out.push(spec.description, '');
  out.push('```', usage(spec), '```', '');
  const options = [...(spec.options ?? []), ...(spec.json ? [{ flags: '--json', description: 'print machine-readable JSON on stdout' }] : [])];
  if (options.length > 0) {
    out.push('| option | what | default |', '|---|---|---|');
    for (const o of options)
      out.push(`| \`${cell(o.flags)}\` | ${cell(o.description)} | ${'default' in o && o.default !== undefined ? `\`${String(o.default)}\`` : ''} |`);
    out.push('');
  }
  if (spec.examples?.length) out.push('Examples:', '', '```sh', ...spec.examples.map((e) => e), '```', '');
  const doc = OUTPUT[name(spec)];
  if (spec.json && doc) {
    out.push('`--json` prints an object with:', '', '| field | what |', '|---|---|');
    for (const [field, what] of Object.entries(doc.fields)) out.push(`| \`${field}\` | ${cell(what)} |`);
    out.push('');
    if (doc.note) out.push(doc.note, '');
  }
  return out.join('\n');
}

export function renderCliDoc(): string {
  const out = [
    '# crosstalk command reference',
    '',
    'Generated from `packages/cli/src/commands.ts` and `packages/cli/src/reference/output.ts` by',
    '`node packages/cli/scripts/gen-reference.mjs` (after `npm run build`); a test checks that it is',
    'current. `crosstalk <command> --help` shows the same, with examples.',
    '',
    '## Conventions',
    '',
    '- **Output**: data on stdout, messages on stderr. No colour, spinners or prompts, ever.',
    '- **`--json`**: every command that prints data takes `--json` and then prints one JSON object',
    '  on stdout with the fields listed under it below; field names are stable. An error prints',
    '  `{"error": {"code", "message", "hint", "details"?}}` on stdout as well.',
    '- **Errors** go to stderr as `crosstalk: <message> [<CODE>]` and `hint: <what to do next>`. Every code',
    '  is listed in [ERRORS.md](ERRORS.md).',
    '- **Identity**: commands that act as a session take `--as <session>`; without it they use the',
    '  session `crosstalk join` recorded for the current tmux pane (`$TMUX_PANE` on the socket in',
    '  `$TMUX`), else they fail with `NO_SESSION` (exit 2).',
    '- **Bodies** (`open`, `reply`): `--body <text>`, `--body-file <path>` (`-` is stdin), or stdin when',
    '  it is not a terminal. At most 64 KiB of UTF-8; a larger body is refused before anything is sent.',
    "- **Posting** (`open`, `reply`, `moderate`, `close`, the opening of `ask`): through this host's agent",
    '  when one runs, else straight to the relay; either way they wait up to `--post-timeout` (60 s) for',
    '  the relay to acknowledge, with one idempotency key per invocation for opens and turns, so a',
    '  retried post is never posted twice. Ctrl-C while waiting ends with `POST_INTERRUPTED` (exit 130),',
    '  saying what became of the post: a turn the agent kept stays queued in its outbox and is posted.',
    '- **Home**: `~/.crosstalk`, or `$CROSSTALK_HOME`.',
    '',
    '## Exit codes',
    '',
    '| exit | meaning |',
    '|---|---|',
    ...(Object.keys(EXIT) as Array<keyof typeof EXIT>).map((k) => `| ${EXIT[k]} | ${EXIT_MEANING[k]} |`),
    '',
    '## Commands',
    '',
  ];
  for (const [group, title] of GROUPS) {
    out.push(
      `- ${title}: ${COMMANDS.filter((c) => c.group === group)
        .map((c) => `[${name(c)}](#${anchor(c)})`)
        .join(', ')}`,
    );
  }
  out.push('');
  for (const [group, title] of GROUPS) {
    out.push(`## ${title}`, '');
    for (const spec of COMMANDS.filter((c) => c.group === group)) out.push(renderCommand(spec));
  }
  out.push('## Shapes in the JSON output', '');
  for (const [shape, { what, fields }] of Object.entries(SHAPES)) {
    out.push(`### ${shape}`, '', `${what[0]?.toUpperCase()}${what.slice(1)}:`, '', '| field | what |', '|---|---|');
    for (const [field, meaning] of Object.entries(fields)) out.push(`| \`${field}\` | ${cell(meaning)} |`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** The README section between the markers (markers included). */
export function renderReadmeSection(): string {
  const out = [
    README_START,
    '## Command reference',
    '',
    'Generated from the command table; every command has `--help` with examples, and the full reference with options and `--json` fields is in [docs/CLI.md](docs/CLI.md).',
    '',
  ];
  for (const [group, title] of GROUPS) {
    out.push(`**${title}**`, '', '| command | what |', '|---|---|');
    for (const spec of COMMANDS.filter((c) => c.group === group))
      out.push(`| \`crosstalk ${cell([name(spec), spec.args ?? ''].join(' ').trim())}\` | ${cell(spec.summary)} |`);
    out.push('');
  }
  out.push(
    'Exit codes: 0 ok, 1 error, 2 usage, 3 not your turn or conflict, 4 auth, 5 relay unreachable, 10 conversation ended (`wait`), 124 timeout, 130 interrupted (Ctrl-C).',
    README_END,
  );
  return out.join('\n');
}

/** The README with its reference section replaced, or appended (with markers) at the end. */
export function withReadmeSection(readme: string): string {
  const section = renderReadmeSection();
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start >= 0 && end > start) return readme.slice(0, start) + section + readme.slice(end + README_END.length);
  return `${readme.replace(/\n*$/, '\n')}\n${section}\n`;
}
