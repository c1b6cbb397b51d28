// The benchmark's outputs: one table on stdout, bench/results/latest.json, and the table in
// docs/PERFORMANCE.md between its markers.
import { cpus } from 'node:os';
import { readFile, rename, writeFile } from 'node:fs/promises';

export function machine() {
  const list = cpus();
  return { cores: list.length, cpu: (list[0]?.model ?? 'unknown').trim(), node: process.version, platform: `${process.platform} ${process.arch}` };
}

/**
 * Fills in `meetsTarget` and `ratio` (measured / target: ≤ 1 is good for `<=`, ≥ 1 for `>=`). The
 * median is measured against the target, or the p95 for a target `of: 'p95'`.
 */
export function judge(figure) {
  const t = figure.target;
  const measured = t?.of === 'p95' ? figure.p95 : figure.median;
  if (!t || measured === null || measured === undefined) return { ...figure, ratio: null, meetsTarget: t ? false : null };
  const ratio = measured / t.value;
  return { ...figure, ratio, meetsTarget: t.op === '<=' ? measured <= t.value : measured >= t.value };
}

function num(value, unit) {
  if (value === null || value === undefined) return '–';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === '×' ? `${text}×` : `${text} ${unit}`;
}

function row(f) {
  const target = f.target ? `${f.target.of === 'p95' ? 'p95 ' : ''}${f.target.op === '<=' ? '≤' : '≥'} ${num(f.target.value, f.unit)}` : '–';
  const ratio = f.ratio === null ? '–' : `${f.ratio.toFixed(2)}`;
  const ok = f.error ? 'error' : f.meetsTarget === null ? '' : f.meetsTarget ? 'yes' : 'NO';
  return [f.name, f.error ? 'error' : num(f.median, f.unit), f.error ? '' : num(f.p95, f.unit), target, ratio, ok];
}

const HEAD = ['figure', 'median', 'p95', 'target', 'ratio', 'meets'];

export function textTable(figures) {
  const rows = [HEAD, ...figures.map(row)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(figures) {
  const rows = figures.map(row);
  const lines = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

export async function writeJson(file, figures, meta) {
  const out = figures.map((f) => ({
    name: f.name,
    unit: f.unit,
    median: f.median ?? null,
    p95: f.p95 ?? null,
    target: f.target ? `${f.target.op} ${f.target.value}` : null,
    ratio: f.ratio,
    meetsTarget: f.meetsTarget,
    ...(f.note ? { note: f.note } : {}),
    ...(f.load ? { load: f.load } : {}),
    ...(f.error ? { error: f.error } : {}),
    ...meta,
  }));
  await writeFile(`${file}.tmp`, `${JSON.stringify(out, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/** Replaces what is between the markers in the doc with the run's table and context. */
export async function updateDoc(file, figures, info) {
  const doc = await readFile(file, 'utf8');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file} has no ${BEGIN} … ${END} markers`);
  const notes = figures.filter((f) => f.note || f.error).map((f) => `- **${f.name}**: ${f.error ? `error: ${f.error}` : f.note}`);
  const body = [
    BEGIN,
    `Measured ${info.date} on ${info.cores} cores (${info.cpu}), Node ${info.node}, ${info.platform}${info.quick ? ', **--quick run**' : ''}.`,
    '',
    markdownTable(figures),
    '',
    ...notes,
    END,
  ].join('\n');
  await writeFile(file, doc.slice(0, a) + body + doc.slice(b + END.length));
}
