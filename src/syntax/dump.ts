// The canonical dump of a syntax tree: one line per field, fields sorted by name, positions as
// byte offsets. tools/gohelper prints go/parser's tree in exactly the same format, so two trees
// are equal when their dumps (or the dumps' sha256) are equal. docs/parser-dump.md defines it.
import { createHash } from 'node:crypto';
import type { File } from './ast.js';

/** Fields whose string value is a token spelling, printed unquoted like go/token's Token.String(). */
const TOKEN_FIELDS = new Set(['tok', 'op', 'tokKind']);

/**
 * The fields that hold lists (go/ast slices). A null list is dumped like an empty one, as go/ast's
 * nil slice is; a null elsewhere is a nil node.
 */
const LIST_FIELDS = new Set([
  'CommentGroup.list', 'Field.names', 'FieldList.list', 'CompositeLit.elts', 'IndexListExpr.indices',
  'CallExpr.args', 'AssignStmt.lhs', 'AssignStmt.rhs', 'ReturnStmt.results', 'BlockStmt.list',
  'CaseClause.list', 'CaseClause.body', 'CommClause.body', 'ValueSpec.names', 'ValueSpec.values',
  'GenDecl.specs', 'File.decls', 'File.comments',
]);

/** Our field name -> the dumped (go/ast) name, where they differ. */
const RENAMED: Record<string, string> = { tokKind: 'kind' };

const INDENT: string[] = [''];
function indent(depth: number): string {
  while (INDENT.length <= depth) INDENT.push(INDENT[INDENT.length - 1]! + '  ');
  return INDENT[depth]!;
}

const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f]/;
const ESCAPES = /["\\\x00-\x1f\x7f]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '"': return '\\"';
    case '\\': return '\\\\';
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    default: return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
  }
}

/**
 * Quotes a string as the dump does: between double quotes, with backslash, double quote and the
 * control characters U+0000-U+001F and U+007F escaped (\n, \r, \t by name, the others as \xHH).
 */
export function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? '"' + s.replace(ESCAPES, escapeChar) + '"' : '"' + s + '"';
}

/** An error for a value the dump format does not define (a tree our parser should never build). */
export class DumpError extends Error {
  override name = 'DumpError';
}

type Obj = Record<string, unknown>;

function isNode(v: unknown): v is Obj & { kind: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Obj).kind === 'string';
}

/** Dumped field names of a node with their own names, sorted by dumped name. */
function fieldsOf(node: Obj & { kind: string }): [dumped: string, own: string][] {
  const out: [string, string][] = [];
  for (const own of Object.keys(node)) {
    if (own === 'kind' || (own === 'imports' && node.kind === 'File')) continue;
    out.push([RENAMED[own] ?? own, own]);
  }
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}

class Dumper {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly sink: (chunk: string) => void) {}

  private put(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }

  flush(): void {
    if (this.buf.length > 0) this.sink(this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }

  /** A node whose first line has already been indented; its fields go at depth + 1. */
  node(v: unknown, depth: number, where: string): void {
    if (v === null) {
      this.put('nil\n');
      return;
    }
    if (!isNode(v)) throw new DumpError(`${where}: expected a node or null, found ${describe(v)}`);
    this.put(v.kind + '\n');
    const pad = indent(depth + 1);
    for (const [dumped, own] of fieldsOf(v)) {
      this.put(pad + dumped + ': ');
      this.value(v[own], depth + 1, v.kind, own);
    }
  }

  /** A field value at depth, after its "name: " prefix. */
  private value(v: unknown, depth: number, kind: string, field: string): void {
    switch (typeof v) {
      case 'number':
        if (!Number.isInteger(v)) throw new DumpError(`${kind}.${field}: ${v} is not an integer`);
        // ChanType.dir is the only number that is not a position; positions < 0 are NOPOS.
        this.put(v < 0 && !(kind === 'ChanType' && field === 'dir') ? '-\n' : v + '\n');
        return;
      case 'string':
        this.put((TOKEN_FIELDS.has(field) ? v : quote(v)) + '\n');
        return;
      case 'boolean':
        this.put(v ? 'true\n' : 'false\n');
        return;
      case 'object':
        if (v === null) {
          this.put(LIST_FIELDS.has(kind + '.' + field) ? '[]\n' : 'nil\n');
        } else if (Array.isArray(v)) {
          if (v.length === 0) {
            this.put('[]\n');
            return;
          }
          this.put('[\n');
          const pad = indent(depth + 1);
          for (let i = 0; i < v.length; i++) {
            this.put(pad);
            this.node(v[i], depth + 1, `${kind}.${field}[${i}]`);
          }
          this.put(indent(depth) + ']\n');
        } else {
          this.node(v, depth, `${kind}.${field}`);
        }
        return;
      default:
        throw new DumpError(`${kind}.${field}: the dump format does not define ${describe(v)}`);
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object without a string "kind"';
  return `${typeof v} ${String(v)}`;
}

/** Writes the canonical dump of file to sink in chunks (of about 64 K characters). */
export function dumpTo(file: File, sink: (chunk: string) => void): void {
  const d = new Dumper(sink);
  d.node(file, 0, 'File');
  d.flush();
}

/** The canonical dump of file. */
export function dumpFile(file: File): string {
  const parts: string[] = [];
  dumpTo(file, (chunk) => parts.push(chunk));
  return parts.join('');
}

/** Lower-case hex sha256 of the UTF-8 bytes of the canonical dump of file, without building it whole. */
export function dumpSha256(file: File): string {
  const h = createHash('sha256');
  dumpTo(file, (chunk) => h.update(chunk, 'utf8'));
  return h.digest('hex');
}

/** Lower-case hex sha256 of the UTF-8 bytes of a string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
