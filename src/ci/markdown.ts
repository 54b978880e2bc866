// Escaping for text that comes from analysed source (identifiers, paths, messages) when it
// goes into GitHub markdown: no markup, no raw HTML, no @mentions or #references, and tables
// that keep their columns.

const ZWSP = '\u200B';

/** Break @user, @org/team and #123 so GitHub neither notifies anybody nor cross-links issues. */
export function neutralizeMentions(text: string): string {
  return text.replace(/(^|[^A-Za-z0-9_`])([@#])(?=[A-Za-z0-9])/g, `$1$2${ZWSP}`);
}

/** Control characters (ESC, BEL, C1, ...) as visible \xNN: quoted source cannot carry terminal sequences into comments or logs. */
function visibleControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Plain text to inline markdown: every character is shown as itself. */
export function escapeMarkdownText(text: string): string {
  let out = text.replace(/\r\n?|\n/g, ' ');
  out = visibleControls(out.replace(/[\\`*_[\]<>|~!&#]/g, (c) => `\\${c}`));
  // Characters that only matter at the start of a line (lists, headings, rules, blockquotes).
  out = out.replace(/^(\s*)([-+=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  return neutralizeMentions(out);
}

/** A code span that shows `text` verbatim, whatever backticks it contains. */
export function inlineCode(text: string, opts: { table?: boolean } = {}): string {
  let t = visibleControls(text.replace(/\r\n?|\n/g, ' '));
  if (opts.table) t = t.replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of t.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  if (t === '') return escapeMarkdownText('');
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * A finding message (plain text that may quote code between backticks) to inline markdown:
 * quoted code stays a code span, the rest is escaped. With table: true the result is safe in
 * a table cell.
 */
export function renderMessage(message: string, opts: { table?: boolean } = {}): string {
  const parts: string[] = [];
  const text = message.replace(/\r\n?|\n/g, ' ');
  let i = 0;
  let plainStart = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (text[j] === '`') j++;
    const run = j - i;
    // Find the closing run of exactly the same length.
    let k = j;
    let close = -1;
    while (k < text.length) {
      if (text[k] === '`') {
        let e = k;
        while (text[e] === '`') e++;
        if (e - k === run) {
          close = k;
          break;
        }
        k = e;
      } else k++;
    }
    if (close < 0) {
      i = j;
      continue;
    }
    if (i > plainStart) parts.push(escapeMarkdownText(text.slice(plainStart, i)));
    parts.push(inlineCode(text.slice(j, close), opts));
    i = close + run;
    plainStart = i;
  }
  if (plainStart < text.length) parts.push(escapeMarkdownText(text.slice(plainStart)));
  // Only the first part can start the line; later parts never need the line-start escapes,
  // but escaping them is harmless.
  return parts.join('');
}

/** Text for a table cell: escaped, pipes escaped, one line. */
export function tableCell(text: string): string {
  return renderMessage(text, { table: true });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A markdown link whose text is escaped and whose URL cannot break out of the parentheses. */
export function link(text: string, url: string): string {
  const safe = url.replace(/[\s()<>\\"]/g, (c) => encodeURIComponent(c));
  return `[${escapeMarkdownText(text)}](${safe})`;
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function fencedBlock(info: string, content: string): string {
  let longest = 2;
  for (const m of content.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const body = content.endsWith('\n') ? content : content + '\n';
  return `${fence}${info}\n${body}${fence}`;
}

/** An HTML comment that carries a value; the value cannot end the comment early. */
export function hiddenMarker(name: string, value?: string): string {
  const v = value === undefined ? '' : `=${value.replace(/[^A-Za-z0-9:._\-/+]/g, '_')}`;
  return `<!-- deferguard:${name}${v} -->`;
}

/** Path segments percent-encoded for a URL. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
