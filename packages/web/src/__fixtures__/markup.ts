// Reads the tags out of markup this package produced, for tests that check what a hostile value
// became. Exact for our output: every literal `<` in it starts a tag (text has `&lt;`), and
// every attribute value is double-quoted with `"` escaped inside.
export interface Tag {
  name: string;
  attrs: Record<string, string>;
}

export function tagsOf(markup: string): Tag[] {
  const tags: Tag[] = [];
  for (const m of markup.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(/\s+([^\s=>]+)(?:="([^"]*)")?/g)) attrs[(a[1] ?? '').toLowerCase()] = a[2] ?? '';
    tags.push({ name: (m[1] ?? '').toLowerCase(), attrs });
  }
  return tags;
}

/** Every `<` that does not start a well-formed tag: markup this reader would misread. */
export function strayOpenings(markup: string): number {
  return markup.split('<').length - 1 - [...markup.matchAll(/<\/?[a-zA-Z!][^>]*>/g)].length;
}
