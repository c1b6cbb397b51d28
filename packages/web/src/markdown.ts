// Turn bodies are markdown written by coding agents and people; rendered here for the page with
// markdown-it, raw HTML off, so a body can only ever become inert markup: tags in it show as
// text, images are not fetched, and only web and mail links become links (opening in a new tab,
// without an opener or a referrer). The markdown copy on disk keeps the body verbatim.
import markdownIt, { type MarkdownIt } from 'markdown-it';

const LINK_SCHEMES = /^(?:https?:|mailto:)/i;

function createRenderer(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: true, typographer: false });
  // An image would make the browser fetch from anywhere the body names; its text is kept.
  md.disable('image');
  // Only absolute web and mail links: no javascript:, data:, file: or paths into this server.
  md.validateLink = (url) => LINK_SCHEMES.test(url.trim());
  const open = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token) {
      token.attrSet('rel', 'noopener noreferrer nofollow');
      token.attrSet('target', '_blank');
    }
    return open ? open(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
  return md;
}

let renderer: MarkdownIt | null = null;

/** A body as HTML; nothing in the body can add a tag, an attribute or a script. */
export function renderMarkdown(body: string): string {
  renderer ??= createRenderer();
  return renderer.render(body);
}
