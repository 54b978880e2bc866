// Shared pieces of the report formats: options, rule lookup, source access, positions and the
// escaping every format needs for text that comes from the analysed code.
import { docUrl, SEVERITIES, type Finding, type RuleMeta, type Severity, type TextEdit } from '../findings/model.js';

export interface ReportOptions {
  /** Tool name and version written into machine-readable formats. */
  toolName?: string;
  toolVersion?: string;
  /** Text of a file (relative path as in findings), for code frames, SARIF columns and fix positions. */
  source?: (file: string) => string | undefined;
  /** Text format: colours and code frames (a terminal). */
  tty?: boolean;
  /** SARIF: absolute file:// URI of the module root, written as originalUriBaseIds.SRCROOT. */
  rootUri?: string;
  /** Markdown/HTML: base URL that file paths are appended to for links (e.g. a blob URL at a commit). */
  linkBase?: string;
  /** Only when given are timestamps written (SARIF invocation, JUnit, HTML). ISO 8601. */
  timestamp?: string;
  /** HTML/markdown title. */
  title?: string;
}

export type Formatter = (findings: readonly Finding[], rules: readonly RuleMeta[], opts?: ReportOptions) => string;

export const TOOL_NAME = 'deferguard';
export const TOOL_URI = 'https://github.com/deferguard/deferguard';

export function toolName(opts: ReportOptions): string {
  return opts.toolName ?? TOOL_NAME;
}

export function toolVersion(opts: ReportOptions): string {
  return opts.toolVersion ?? '0.0.0';
}

/** Rule metadata by id, with a stand-in for ids the catalogue does not know. */
export function ruleLookup(rules: readonly RuleMeta[]): (id: string, severity?: Severity) => RuleMeta {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (id, severity = 'medium') =>
    byId.get(id) ?? { id, severity, summary: id, enabledByDefault: true, fixable: false, category: 'other', docUrl: docUrl(encodeURIComponent(id)) };
}

/** Cached line access to sources. */
export class Sources {
  private readonly cache = new Map<string, { text: string; lines: string[]; bytes: Buffer; lineStarts: number[] } | null>();
  constructor(private readonly provider?: (file: string) => string | undefined) {}

  private get(file: string) {
    let e = this.cache.get(file);
    if (e === undefined) {
      const text = this.provider?.(file);
      if (text === undefined) e = null;
      else {
        const bytes = Buffer.from(text, 'utf8');
        const lineStarts = [0];
        for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lineStarts.push(i + 1);
        const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (lines.length > 1 && text.endsWith('\n')) lines.pop(); // no phantom line after the final newline
        e = { text, lines, bytes, lineStarts };
      }
      this.cache.set(file, e);
    }
    return e;
  }

  /** The text of a 1-based line, or undefined. */
  line(file: string, line: number): string | undefined {
    const e = this.get(file);
    return e && line >= 1 && line <= e.lines.length ? e.lines[line - 1] : undefined;
  }

  /** Converts a 1-based byte column on a line to a 1-based UTF-16 column (falls back to the byte column). */
  column16(file: string, line: number, byteColumn: number): number {
    const text = this.line(file, line);
    if (text === undefined) return byteColumn;
    const b = Buffer.from(text, 'utf8');
    return b.subarray(0, Math.max(0, Math.min(b.length, byteColumn - 1))).toString('utf8').length + 1;
  }

  /** 1-based line and byte column of a byte offset, or undefined without the source. */
  position(file: string, offset: number): { line: number; column: number } | undefined {
    const e = this.get(file);
    if (!e || offset < 0 || offset > e.bytes.length) return undefined;
    let lo = 0;
    let hi = e.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (e.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - e.lineStarts[lo]! + 1 };
  }

  /** The bytes [offset, endOffset) of a file as text. */
  slice(file: string, offset: number, endOffset: number): string | undefined {
    const e = this.get(file);
    if (!e || offset < 0 || endOffset > e.bytes.length || endOffset < offset) return undefined;
    return e.bytes.subarray(offset, endOffset).toString('utf8');
  }
}

export interface EditRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** Line/column range of an edit (byte columns), when the source is available. */
export function editRange(src: Sources, e: TextEdit): EditRange | undefined {
  const a = src.position(e.file, e.offset);
  const b = src.position(e.file, e.endOffset);
  return a && b ? { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column } : undefined;
}

export function summaryCounts(findings: readonly Finding[]): Record<Severity, number> {
  const out = { critical: 0, high: 0, medium: 0, low: 0 } as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

/** "3 findings: 1 critical, 2 high" or "no findings". */
export function summaryLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const c = summaryCounts(findings);
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

// ---- escaping ----

/**
 * Makes text safe for a terminal: control characters (ESC, BEL, CR, backspace, C1 controls, bidi
 * overrides) become visible escapes, so code or messages cannot move the cursor, recolour or
 * hide output. Tabs are kept; newlines only when allowed.
 */
export function sanitizeTerminal(text: string, keepNewlines = false): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\n' && keepNewlines) return ch;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** XML 1.0 text/attribute escaping; characters XML cannot carry become visible \xNN escapes. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"'\t\n\r]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[ch]!);
}

/**
 * Plain text for a markdown table cell or paragraph, shown as itself: markdown punctuation and
 * HTML-significant characters are backslash-escaped (no links, emphasis, raw HTML or
 * entities), pipes cannot end a cell, newlines become spaces, and @mentions / #refs get a
 * zero-width space so that nobody is notified and no issue is cross-linked.
 */
export function escapeMarkdown(text: string): string {
  return sanitizeTerminal(text.replace(/\r\n?|\n/g, ' '))
    .replace(/[\\`*_{}[\]()<>|~!&#+\-.]/g, (ch) => '\\' + ch)
    .replace(/(^|[^A-Za-z0-9_])@(?=[A-Za-z0-9])/g, '$1@\u200b')
    .replace(/#(?=[0-9])/g, '#\u200b');
}

/** Deterministic JSON with a final newline. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent) + '\n';
}

export function encodePathForUri(path: string): string {
  return path.split('/').map((seg) => encodeURIComponent(seg)).join('/');
}
