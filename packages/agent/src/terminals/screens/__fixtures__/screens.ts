// Screens captured from the real coding agents (`capture-pane -p`, optionally `-e`, plus the
// cursor), one `<name>.txt` and `<name>.json` per screen, under a folder per agent.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parsePaneView, type PaneView } from '../../tmux/submit.js';
import type { ScreenReader, ScreenVerdict } from '../types.js';

export interface CapturedScreen {
  name: string;
  view: PaneView;
  /** The wake-up line that was pasted, for screens captured after a paste. */
  typed?: string;
  note: string;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));

export function capturedScreens(agent: 'claude-code' | 'codex'): CapturedScreen[] {
  const dir = join(HERE, agent);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -4);
      const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as {
        cursorX: number;
        cursorY: number;
        typed?: string;
        note: string;
        styled?: boolean;
      };
      const screen = readFileSync(join(dir, file), 'utf8');
      const view = parsePaneView(`${screen.replace(/\n$/, '')}\n${meta.cursorX} ${meta.cursorY}\n`, meta.styled === true);
      return { name, view, note: meta.note, ...(meta.typed === undefined ? {} : { typed: meta.typed }) };
    });
}

/** A screen's name without its size: `draft-one-line-80x24` → `draft-one-line`. */
const base = (name: string): string => name.replace(/-\d+x\d+$/, '');

/**
 * One test per captured screen: the reader must read it as `expected` says. A capture without
 * an entry fails too, so every new screen is classified on purpose.
 */
export function itReadsEveryScreen(screens: CapturedScreen[], reader: ScreenReader, expected: Record<string, ScreenVerdict['state']>): void {
  it('knows every captured screen', () => {
    expect(screens.length).toBeGreaterThan(30);
    expect(screens.map((s) => base(s.name)).filter((n) => !(n in expected))).toEqual([]);
  });
  for (const screen of screens) {
    it(`${screen.name}: ${expected[base(screen.name)] ?? '?'}`, () => {
      expect(reader.before(screen.view).state, screen.note).toBe(expected[base(screen.name)]);
    });
  }
}
