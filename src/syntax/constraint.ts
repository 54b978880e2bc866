// Build constraints: `//go:build` expressions and legacy `// +build` lines, where they may appear
// in a file, how they evaluate against a build context, and the minimum Go version they imply.
// Semantics follow Go's go/build/constraint and go/build (pure functions, no I/O).

export type ConstraintExpr =
  | { op: 'tag'; tag: string }
  | { op: 'not'; x: ConstraintExpr }
  | { op: 'and'; x: ConstraintExpr; y: ConstraintExpr }
  | { op: 'or'; x: ConstraintExpr; y: ConstraintExpr };

/** A malformed constraint. `offset` is the character offset inside the expression text. */
export class ConstraintError extends Error {
  readonly offset: number;
  readonly reason: string;
  constructor(reason: string, offset: number) {
    super(offset >= 0 ? `${reason} (at offset ${offset})` : reason);
    this.name = 'ConstraintError';
    this.reason = reason;
    this.offset = offset;
  }
}

const MAX_SIZE = 1000; // Go's limit on //go:build expression size
const MAX_OLD_SIZE = 100; // Go's limit on the number of operators in a // +build line

/** Go's unicode.IsSpace set, used by strings.TrimSpace. */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

export function goTrimSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && SPACE.test(s[i]!)) i++;
  while (j > i && SPACE.test(s[j - 1]!)) j--;
  return s.slice(i, j);
}

const TAG_CHAR = /[\p{L}\p{Nd}_.]/u;

/** A build tag is made of letters, digits, `_` and `.` (digits alone are fine, e.g. `386`). */
export function isValidTag(word: string): boolean {
  if (word === '') return false;
  for (const c of word) if (!TAG_CHAR.test(c)) return false;
  return true;
}

function lineBody(line: string): string | null {
  if (line.endsWith('\n')) line = line.slice(0, -1);
  return line.includes('\n') ? null : line;
}

/** The expression text of a `//go:build` line, or null when the line is not one. */
export function splitGoBuild(line: string): string | null {
  const body = lineBody(line);
  if (body === null || !body.startsWith('//go:build')) return null;
  const rest = goTrimSpace(body).slice('//go:build'.length);
  const trimmed = goTrimSpace(rest);
  // `//go:buildfoo` is not a build line; `//go:build` alone is (and is a syntax error).
  if (rest.length === trimmed.length && rest !== '') return null;
  return trimmed;
}

/** The text after `+build` of a legacy `// +build` line, or null when the line is not one. */
export function splitPlusBuild(line: string): string | null {
  const body = lineBody(line);
  if (body === null || !body.startsWith('//')) return null;
  const t = goTrimSpace(body.slice(2));
  if (!t.startsWith('+build')) return null;
  const rest = t.slice('+build'.length);
  const trimmed = goTrimSpace(rest);
  if (rest.length === trimmed.length && rest !== '') return null;
  return trimmed;
}

export function isGoBuild(line: string): boolean {
  return splitGoBuild(line) !== null;
}

export function isPlusBuild(line: string): boolean {
  return splitPlusBuild(line) !== null;
}

/** Parses a `//go:build` or `// +build` line. Throws ConstraintError on bad syntax. */
export function parseConstraint(line: string): ConstraintExpr {
  const goBuild = splitGoBuild(line);
  if (goBuild !== null) return parseExpr(goBuild);
  const plus = splitPlusBuild(line);
  if (plus !== null) return parsePlusBuildExpr(plus);
  throw new ConstraintError('not a build constraint', -1);
}

/** Parses the expression of a `//go:build` line: `||` binds loosest, then `&&`, then `!`. */
export function parseExpr(text: string): ConstraintExpr {
  let i = 0; // next unread character
  let pos = 0; // start of the current token
  let tok = ''; // current token ('' at the end)
  let isTag = false;
  let size = 0;

  const lex = (): void => {
    isTag = false;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) {
      tok = '';
      pos = i;
      return;
    }
    const c = text[i]!;
    if (c === '(' || c === ')' || c === '!') {
      pos = i++;
      tok = c;
      return;
    }
    if (c === '&' || c === '|') {
      if (text[i + 1] !== c) throw new ConstraintError(`invalid syntax at ${c}`, i);
      pos = i;
      i += 2;
      tok = c + c;
      return;
    }
    let j = i;
    while (j < text.length) {
      const cp = text.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      if (!TAG_CHAR.test(ch)) break;
      j += ch.length;
    }
    if (j === i) throw new ConstraintError(`invalid syntax at ${String.fromCodePoint(text.codePointAt(i)!)}`, i);
    pos = i;
    tok = text.slice(i, j);
    i = j;
    isTag = true;
  };

  const or = (): ConstraintExpr => {
    let x = and();
    while (tok === '||') x = { op: 'or', x, y: and() };
    return x;
  };
  const and = (): ConstraintExpr => {
    let x = not();
    while (tok === '&&') x = { op: 'and', x, y: not() };
    return x;
  };
  const not = (): ConstraintExpr => {
    if (++size > MAX_SIZE) throw new ConstraintError('build expression too large', pos);
    lex();
    if (tok === '!') {
      lex();
      if (tok === '!') throw new ConstraintError('double negation not allowed', pos);
      return { op: 'not', x: atom() };
    }
    return atom();
  };
  const atom = (): ConstraintExpr => {
    if (tok === '(') {
      const open = pos;
      let x: ConstraintExpr;
      try {
        x = or();
      } catch (e) {
        if (e instanceof ConstraintError && e.reason === 'unexpected end of expression') {
          throw new ConstraintError('missing close paren', e.offset);
        }
        throw e;
      }
      if ((tok as string) !== ')') throw new ConstraintError('missing close paren', open);
      lex();
      return x;
    }
    if (!isTag) {
      if (tok === '') throw new ConstraintError('unexpected end of expression', pos);
      throw new ConstraintError(`unexpected token ${tok}`, pos);
    }
    const t = tok;
    lex();
    return { op: 'tag', tag: t };
  };

  const x = or();
  if (tok !== '') throw new ConstraintError(`unexpected token ${tok}`, pos);
  return x;
}

/**
 * Parses the text of a legacy `// +build` line: space-separated options are OR-ed,
 * comma-separated terms AND-ed, `!` negates. Malformed terms become the tag `ignore`.
 */
export function parsePlusBuildExpr(text: string): ConstraintExpr {
  let size = 0;
  let x: ConstraintExpr | null = null;
  for (const clause of text.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/)) {
    if (clause === '') continue;
    let y: ConstraintExpr | null = null;
    for (let lit of clause.split(',')) {
      let z: ConstraintExpr;
      if (lit.startsWith('!!') || lit === '!') {
        z = { op: 'tag', tag: 'ignore' };
      } else {
        const neg = lit.startsWith('!');
        if (neg) lit = lit.slice(1);
        z = { op: 'tag', tag: isValidTag(lit) ? lit : 'ignore' };
        if (neg) z = { op: 'not', x: z };
      }
      if (y === null) y = z;
      else {
        if (++size > MAX_OLD_SIZE) throw new ConstraintError('expression too complex', -1);
        y = { op: 'and', x: y, y: z };
      }
    }
    if (y === null) continue;
    if (x === null) x = y;
    else {
      if (++size > MAX_OLD_SIZE) throw new ConstraintError('expression too complex', -1);
      x = { op: 'or', x, y };
    }
  }
  return x ?? { op: 'tag', tag: 'ignore' };
}

export function evalConstraint(x: ConstraintExpr, ok: (tag: string) => boolean): boolean {
  switch (x.op) {
    case 'tag':
      return ok(x.tag);
    case 'not':
      return !evalConstraint(x.x, ok);
    case 'and':
      return evalConstraint(x.x, ok) && evalConstraint(x.y, ok);
    case 'or':
      return evalConstraint(x.x, ok) || evalConstraint(x.y, ok);
  }
}

/** Prints an expression in `//go:build` syntax, parenthesising mixed `&&`/`||` as Go's String does. */
export function formatConstraint(x: ConstraintExpr): string {
  const arg = (e: ConstraintExpr, parent: 'and' | 'or'): string => {
    const s = formatConstraint(e);
    return (e.op === 'or' && parent === 'and') || (e.op === 'and' && parent === 'or') ? `(${s})` : s;
  };
  switch (x.op) {
    case 'tag':
      return x.tag;
    case 'not': {
      const s = formatConstraint(x.x);
      return x.x.op === 'and' || x.x.op === 'or' ? `!(${s})` : `!${s}`;
    }
    case 'and':
      return `${arg(x.x, 'and')} && ${arg(x.y, 'and')}`;
    case 'or':
      return `${arg(x.x, 'or')} || ${arg(x.y, 'or')}`;
  }
}

/**
 * The minimum Go version implied by an expression (`go1.21 && linux` implies go1.21,
 * `go1.21 || go1.22` implies go1.21, `!go1.21` implies nothing), as "go1.N", or "" for none.
 */
export function constraintGoVersion(x: ConstraintExpr): string {
  const v = minVersion(x, 1);
  if (v < 0) return '';
  return v === 0 ? 'go1' : `go1.${v}`;
}

function minVersion(z: ConstraintExpr, sign: number): number {
  switch (z.op) {
    case 'and': {
      const a = minVersion(z.x, sign);
      const b = minVersion(z.y, sign);
      return sign < 0 ? Math.min(a, b) : Math.max(a, b);
    }
    case 'or': {
      const a = minVersion(z.x, sign);
      const b = minVersion(z.y, sign);
      return sign < 0 ? Math.max(a, b) : Math.min(a, b);
    }
    case 'not':
      return minVersion(z.x, -sign);
    case 'tag': {
      if (sign < 0) return -1;
      if (z.tag === 'go1') return 0;
      const k = z.tag.indexOf('go1.');
      if (k < 0) return -1;
      const m = /^[+-]?\d+$/.exec(z.tag.slice(k + 4));
      if (!m) return -1;
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : -1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Where constraints live in a file

export interface FileHeader {
  /** The `//go:build` line (trimmed), or null. */
  goBuild: string | null;
  /** 1-based line of the `//go:build` line, 0 when absent. */
  goBuildLine: number;
  /** The legacy `// +build` lines that Go honours (only those before the blank line that ends the leading comments). */
  plusBuild: string[];
  /** Error when the header has more than one `//go:build` line. */
  error: string | null;
  /** True for `//go:binary-only-package`. */
  binaryOnly: boolean;
}

const utf8 = new TextDecoder('utf-8');

function trimBytes(b: Uint8Array, s: number, e: number): [number, number] {
  // ASCII white space (what appears in practice); other Unicode spaces are handled after decoding.
  while (s < e && (b[s] === 32 || (b[s]! >= 9 && b[s]! <= 13))) s++;
  while (e > s && (b[e - 1] === 32 || (b[e - 1]! >= 9 && b[e - 1]! <= 13))) e--;
  return [s, e];
}

function startsWithAt(b: Uint8Array, s: number, e: number, lit: string): boolean {
  if (e - s < lit.length) return false;
  for (let k = 0; k < lit.length; k++) if (b[s + k] !== lit.charCodeAt(k)) return false;
  return true;
}

function indexOfPair(b: Uint8Array, s: number, e: number, c1: number, c2: number): number {
  for (let k = s; k + 1 < e; k++) if (b[k] === c1 && b[k + 1] === c2) return k;
  return -1;
}

/**
 * Finds the build constraint lines in the leading comments of a Go (or other) source file, the way
 * go/build does: a `//go:build` line may appear anywhere before the first non-comment text;
 * `// +build` lines count only when they are followed by a blank line before that text
 * (so they are not part of the package doc comment).
 */
export function readFileHeader(content: Uint8Array | string): FileHeader {
  const b = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const out: FileHeader = { goBuild: null, goBuildLine: 0, plusBuild: [], error: null, binaryOnly: false };
  let end = 0; // end of the region where +build lines may appear
  let ended = false;
  let inSlashStar = false;
  let p = 0;
  let lineNo = 0;
  lines: while (p < b.length) {
    lineNo++;
    let nl = b.indexOf(10, p);
    const lineEnd = nl < 0 ? b.length : nl;
    const next = nl < 0 ? b.length : nl + 1;
    let [s, e] = trimBytes(b, p, lineEnd);
    p = next;
    if (s === e && !ended) {
      end = p;
      continue;
    }
    if (!startsWithAt(b, s, e, '//')) ended = true;
    if (!inSlashStar && startsWithAt(b, s, e, '//go:build')) {
      const line = goTrimSpace(utf8.decode(b.subarray(s, e)));
      if (splitGoBuild(line) !== null) {
        if (out.goBuild !== null) {
          out.error = `multiple //go:build comments (lines ${out.goBuildLine} and ${lineNo})`;
          return out;
        }
        out.goBuild = line;
        out.goBuildLine = lineNo;
      }
    }
    if (!inSlashStar && e - s === 25 && startsWithAt(b, s, e, '//go:binary-only-package')) out.binaryOnly = true;
    while (s < e) {
      if (inSlashStar) {
        const k = indexOfPair(b, s, e, 42, 47); // */
        if (k >= 0) {
          inSlashStar = false;
          [s, e] = trimBytes(b, k + 2, e);
          continue;
        }
        continue lines;
      }
      if (startsWithAt(b, s, e, '//')) continue lines;
      if (startsWithAt(b, s, e, '/*')) {
        inSlashStar = true;
        [s, e] = trimBytes(b, s + 2, e);
        continue;
      }
      break lines; // non-comment text
    }
  }
  if (out.goBuild === null) {
    // Legacy lines: only in the region before the last blank line preceding the first non-// line.
    let q = 0;
    while (q < end) {
      const nl = b.indexOf(10, q);
      const lineEnd = nl < 0 || nl > end ? end : nl;
      const [s, e] = trimBytes(b, q, lineEnd);
      q = nl < 0 ? end : nl + 1;
      if (!startsWithAt(b, s, e, '//')) continue;
      if (indexOfPair(b, s, e, 43, 98) < 0) continue; // quick check for "+b"
      const line = goTrimSpace(utf8.decode(b.subarray(s, e)));
      if (isPlusBuild(line)) out.plusBuild.push(line);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation against a build context

/** GOOS values that satisfy the `unix` build tag (go/build's unixOS). */
export const UNIX_OS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris',
]);

/** Known GOOS values (go/build's syslist), used for `_GOOS` file name suffixes. */
export const KNOWN_OS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd',
  'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);

/** Known GOARCH values (go/build's syslist), used for `_GOARCH` file name suffixes. */
export const KNOWN_ARCH: ReadonlySet<string> = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

export interface BuildContext {
  goos: string;
  goarch: string;
  /** Compiler tag; `gc` unless told otherwise. */
  compiler: string;
  cgoEnabled: boolean;
  /** User tags (`--tags`). */
  buildTags: string[];
  /** Toolchain tags such as `amd64.v1` and `goexperiment.X`. */
  toolTags: string[];
  /** `go1.1` ... `go1.N` for the toolchain's release. */
  releaseTags: string[];
}

/** `go1.1` ... `go1.<minor>` for a Go version such as "go1.22.3" or "1.22". */
export function releaseTagsFor(goVersion: string): string[] {
  const m = /^(?:go)?1\.(\d+)/.exec(goVersion);
  const minor = m ? Number(m[1]) : 0;
  const tags: string[] = [];
  for (let k = 1; k <= minor; k++) tags.push(`go1.${k}`);
  return tags;
}

/** Whether a single tag is satisfied by the context (go/build's Context.matchTag). */
export function matchTag(ctx: BuildContext, name: string): boolean {
  if (ctx.cgoEnabled && name === 'cgo') return true;
  if (name === ctx.goos || name === ctx.goarch || name === ctx.compiler) return true;
  if (ctx.goos === 'android' && name === 'linux') return true;
  if (ctx.goos === 'illumos' && name === 'solaris') return true;
  if (ctx.goos === 'ios' && name === 'darwin') return true;
  if (name === 'unix' && UNIX_OS.has(ctx.goos)) return true;
  if (name === 'boringcrypto') name = 'goexperiment.boringcrypto';
  return ctx.buildTags.includes(name) || ctx.toolTags.includes(name) || ctx.releaseTags.includes(name);
}

export function evalInContext(x: ConstraintExpr, ctx: BuildContext): boolean {
  return evalConstraint(x, (t) => matchTag(ctx, t));
}

export interface HeaderVerdict {
  /** Whether the file's constraints admit it in this context. */
  ok: boolean;
  /** The reason when not ok (or when the constraint is malformed). */
  reason: string;
  /** The parsed `//go:build` expression, if any. */
  expr: ConstraintExpr | null;
  /** Minimum Go version implied by the `//go:build` line ("" for none). */
  goVersion: string;
  /** A malformed constraint (the file is then excluded, as Go does). */
  error: string | null;
}

/** Decides whether a file's leading constraints admit it in ctx (go/build's shouldBuild). */
export function headerAllows(header: FileHeader, ctx: BuildContext): HeaderVerdict {
  if (header.error) return { ok: false, reason: header.error, expr: null, goVersion: '', error: header.error };
  if (header.goBuild !== null) {
    let x: ConstraintExpr;
    try {
      x = parseConstraint(header.goBuild);
    } catch (e) {
      const msg = `line ${header.goBuildLine}: parsing //go:build line: ${(e as Error).message}`;
      return { ok: false, reason: msg, expr: null, goVersion: '', error: msg };
    }
    const ok = evalInContext(x, ctx);
    return {
      ok,
      reason: ok ? '' : `//go:build ${formatConstraint(x)} is not satisfied`,
      expr: x,
      goVersion: constraintGoVersion(x),
      error: null,
    };
  }
  for (const line of header.plusBuild) {
    let x: ConstraintExpr;
    try {
      x = parseConstraint(line);
    } catch {
      continue; // Go ignores unparsable +build lines
    }
    if (!evalInContext(x, ctx)) return { ok: false, reason: `${line} is not satisfied`, expr: null, goVersion: '', error: null };
  }
  return { ok: true, reason: '', expr: null, goVersion: '', error: null };
}

/**
 * Whether a file name's `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` suffix (before an optional `_test`)
 * admits it in ctx. Returns the mismatching suffix, or null when the name is fine.
 */
export function fileNameMismatch(name: string, ctx: BuildContext): string | null {
  const dot = name.indexOf('.');
  if (dot >= 0) name = name.slice(0, dot);
  const u = name.indexOf('_');
  if (u < 0) return null;
  const l = name.slice(u).split('_');
  if (l.length > 0 && l[l.length - 1] === 'test') l.pop();
  const n = l.length;
  if (n >= 2 && KNOWN_OS.has(l[n - 2]!) && KNOWN_ARCH.has(l[n - 1]!)) {
    return matchTag(ctx, l[n - 1]!) && matchTag(ctx, l[n - 2]!) ? null : `_${l[n - 2]}_${l[n - 1]}`;
  }
  if (n >= 1 && (KNOWN_OS.has(l[n - 1]!) || KNOWN_ARCH.has(l[n - 1]!))) {
    return matchTag(ctx, l[n - 1]!) ? null : `_${l[n - 1]}`;
  }
  return null;
}
