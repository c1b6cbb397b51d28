// Every page is built from tagged templates whose values are escaped (hono's `html` helper), so a
// value can only ever become text: markup enters only through `trusted`, which takes the one
// producer that is allowed to make it (the markdown renderer, with raw HTML off).
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString;
export type Child = string | number | boolean | null | undefined | Html | readonly Child[];

/** An HTML fragment; every interpolated value is escaped unless it is itself a fragment. */
export function h(strings: TemplateStringsArray, ...values: Child[]): Html {
  const out = html(strings, ...(values as unknown[]));
  // Nothing here is asynchronous, so the helper always answers at once.
  if (out instanceof Promise) throw new Error('an asynchronous value reached a page template');
  return out;
}

/** Markup produced by the markdown renderer (raw HTML off), to be inserted as is. */
export function trusted(markup: string): Html {
  return raw(markup);
}

/** The fragment as a string, for answers and event streams. */
export function text(fragment: Html): string {
  return fragment.toString();
}
