// The documented --json fields of a command (packages/cli/src/reference/output.ts, built), so the
// tests check the output against the same table docs/CLI.md is generated from.
import { OUTPUT, SHAPES } from '../../packages/cli/dist/reference/index.js';

export function documentedFields(command: string): string[] {
  const doc = OUTPUT[command];
  if (!doc) throw new Error(`no documented --json output for ${command}`);
  return Object.keys(doc.fields).sort();
}

/** Fields of a shared shape; optional ones (`proposes`, `agrees`) only when present. */
export function shapeFields(shape: 'Summary' | 'Turn' | 'Conversation'): string[] {
  return Object.keys(SHAPES[shape]?.fields ?? {}).sort();
}

export const keys = (value: unknown): string[] => Object.keys(value as object).sort();
