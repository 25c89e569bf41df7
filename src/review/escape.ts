// Escaping for every place a value from configuration lands in the report: a pull request comment
// that GitHub renders as Markdown (CommonMark with GFM tables and autolinks, raw HTML allowed) and
// then links @mentions, #123 issue references and URLs in its text. Names, prefixes, justifications,
// notes, keys, URLs, plan labels and addresses all come from the synth or the plan under review, so
// none of them may add an element, a link, an image or a mention that the report did not write.

import { visible } from '../core/visible';

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Breaks what GitHub links in rendered text — `@user` and `@org/team` mentions, e-mail addresses,
 * `#123` and `GH-123` references, `scheme://` and `www.` URLs, `:emoji:` — with a zero-width space
 * (on both sides of `@`: autolinkers take one in a domain name for an internationalized character),
 * which renders as nothing: GitHub finds these in the text of the rendered HTML, after Markdown
 * escapes and HTML entities are decoded, so escaping the Markdown alone does not stop them.
 */
function unlinked(s: string): string {
  return s
    .replace(/@/g, `${ZERO_WIDTH_SPACE}@${ZERO_WIDTH_SPACE}`)
    .replace(/[#:]/g, (c) => `${c}${ZERO_WIDTH_SPACE}`)
    .replace(/(www)(\\?\.)/gi, `$1${ZERO_WIDTH_SPACE}$2`)
    .replace(/(gh)(\\?-)/gi, `$1${ZERO_WIDTH_SPACE}$2`);
}

/**
 * A value as plain Markdown text: every character that can open inline Markdown backslash-escaped
 * (emphasis, strikethrough, code, links and images, HTML tags, comments and entities, `$` math,
 * `#` headings), invisible characters shown, mentions, references and URLs unlinked. Values never
 * start a line of the report, so the characters that only open a block there (`-`, `+`, `=`, `1.`)
 * stay as written, and a `|` is left to {@link cell}, whose escaping a GFM table needs.
 */
export function text(s: string): string {
  // A space at either end, as an entity, keeps emphasis around the value (`**name**`) closing.
  const escaped = visible(s)
    .replace(/[\\`*_[\]<>&!#~$]/g, '\\$&')
    .replace(/^ | $/g, '&#32;');
  return unlinked(escaped);
}

/**
 * A value as a code span, fenced with one backtick more than the longest run of backticks it holds
 * (and padded with a space when it starts or ends with a backtick or a space, which CommonMark strips
 * again), so that it cannot close the span early. Nothing inside a code span is Markdown, HTML or a
 * link, and GitHub links no mention in it.
 */
export function code(s: string): string {
  const value = visible(s);
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value === '' || /^[` ]|[` ]$/.test(value) ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/**
 * A value inside raw HTML (the `<details><summary>` line of each integration, an HTML block in which
 * Markdown is not parsed): the five HTML-significant characters as entities, invisible characters
 * shown (so that no blank line can end the HTML block), mentions, references and URLs unlinked.
 */
export function html(s: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  // Unlinked first: the entities' own `#` must stay as written.
  return unlinked(visible(s)).replace(/[&<>"']/g, (c) => entities[c]);
}

/**
 * A Markdown fragment built with {@link text} and {@link code} as one GFM table cell: every `|` is
 * escaped, inside code spans too (the table is split before inline parsing, and `\|` is how GFM
 * keeps a pipe in a cell).
 */
export function cell(markdown: string): string {
  return markdown.replace(/\|/g, '\\|');
}
