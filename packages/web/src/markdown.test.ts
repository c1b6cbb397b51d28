// A body is rendered inert whatever it holds: raw HTML shows as text, no attribute or tag can be
// made from it, images are not fetched, and only web and mail links become links.
import { describe, expect, it } from 'vitest';
import { strayOpenings, tagsOf } from './__fixtures__/markup.js';
import { renderMarkdown } from './markdown.js';

const TAGS = new Set([
  'p',
  'a',
  'strong',
  'em',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  's',
]);
const ATTRS = new Set(['href', 'title', 'rel', 'target', 'class', 'start', 'style']);

const HOSTILE = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '[click](javascript:window.__xss=1)',
  '[click](JaVaScRiPt:window.__xss=1)',
  '[click](javascript&#58;window.__xss=1)',
  '[click](&#x6A;avascript:window.__xss=1)',
  '[click]( javascript:window.__xss=1 )',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[file](file:///etc/passwd)',
  '[rel](/c/x/close)',
  '<javascript:window.__xss=1>',
  '![img](https://tracker.example/x.png)',
  '![img](javascript:window.__xss=1)',
  '[ref][1]\n\n[1]: javascript:window.__xss=1',
  '<a href="javascript:window.__xss=1">a</a>',
  '<svg onload=window.__xss=1>',
  '<style>body{display:none}</style>',
  '"><script>window.__xss=1</script>',
  '`<script>` in code and ```\n<script>window.__xss=1</script>\n```',
  '<div onmouseover="window.__xss=1">hover</div>',
  '[x](https://example.com "title\\" onmouseover=\\"window.__xss=1")',
];

describe('renderMarkdown', () => {
  it.each(HOSTILE)('renders %j inert', (body) => {
    const out = renderMarkdown(body);
    expect(strayOpenings(out)).toBe(0);
    for (const tag of tagsOf(out)) {
      expect(TAGS.has(tag.name), `<${tag.name}> in ${out}`).toBe(true);
      for (const [name, value] of Object.entries(tag.attrs)) {
        expect(ATTRS.has(name), `${name}= in ${out}`).toBe(true);
        if (name === 'href') expect(value).toMatch(/^(?:https?:|mailto:)/i);
        if (name === 'style') expect(value).toMatch(/^text-align:(?:left|right|center)$/);
      }
    }
  });

  it('keeps markdown, and makes web links open apart, without an opener or a referrer', () => {
    const out = renderMarkdown('**bold** and `code`\n\n- a\n- b\n\n[docs](https://example.com/a?b=1&c=2) and https://example.org');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toContain('<code>code</code>');
    expect(out).toContain('<li>a</li>');
    expect(out).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">docs</a>');
    expect(out).toContain('<a href="https://example.org" rel="noopener noreferrer nofollow" target="_blank">');
  });
});
