// A strict little XML reader for tests: enough to prove the generated plists and task XML are
// well-formed and to read values back with entities decoded. Throws on anything malformed.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  if (/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(raw)) throw new Error(`bad character data: ${raw}`);
  return raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
  );
}

export function parseXml(xml: string): XmlElement {
  // Prolog: declaration, comments, doctype.
  const body = xml
    .replace(/^\s*<\?xml[^?]*\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>]*>/, '');
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt === -1 ? body.length : lt);
    stack.at(-1)!.text += decode(text);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    if (!m) throw new Error(`malformed tag at ${lt}: ${body.slice(lt, lt + 40)}`);
    const [, close, name, rawAttrs, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of rawAttrs!.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
      const el: XmlElement = { name: name!, attrs, children: [], text: '' };
      stack.at(-1)!.children.push(el);
      if (!selfClose) stack.push(el);
    }
    i = tag.lastIndex;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('not exactly one root element');
  return root.children[0]!;
}

/** The first descendant reached by a path of element names. */
export function find(el: XmlElement, ...path: string[]): XmlElement {
  let cur = el;
  for (const name of path) {
    const next = cur.children.find((c) => c.name === name);
    if (!next) throw new Error(`no <${name}> in <${cur.name}>`);
    cur = next;
  }
  return cur;
}

export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** Reads a plist's root <dict> into plain values. */
export function plistValue(el: XmlElement): PlistValue {
  switch (el.name) {
    case 'plist':
      return plistValue(el.children[0]!);
    case 'string':
      return el.text;
    case 'integer':
      return Number(el.text);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'array':
      return el.children.map(plistValue);
    case 'dict': {
      const out: Record<string, PlistValue> = {};
      for (let k = 0; k < el.children.length; k += 2) {
        const key = el.children[k]!;
        if (key.name !== 'key') throw new Error(`dict entry without <key>: <${key.name}>`);
        out[key.text] = plistValue(el.children[k + 1]!);
      }
      return out;
    }
    default:
      throw new Error(`unknown plist element <${el.name}>`);
  }
}

/** Splits a Windows command line the way CommandLineToArgvW does for arguments after the program. */
export function splitWindowsArgs(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inArg = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\') {
      let n = 0;
      while (line[i] === '\\') {
        n++;
        i++;
      }
      if (line[i] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) cur += '"';
        else quoted = !quoted;
      } else {
        cur += '\\'.repeat(n);
        i--;
      }
      inArg = true;
    } else if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
      inArg = true;
    } else if ((ch === ' ' || ch === '\t') && !quoted) {
      if (inArg) args.push(cur);
      cur = '';
      inArg = false;
    } else {
      cur += ch;
      inArg = true;
    }
  }
  if (inArg) args.push(cur);
  return args;
}
