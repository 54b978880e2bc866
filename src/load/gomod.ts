// go.mod and go.work files: a lexer for their line/block syntax and typed views of the directives
// deferguard needs (module path, go and toolchain versions, requirements, replacements, workspaces).
// Errors carry the file name and line, in the `go.mod:3: message` form the go command prints.

export interface Located {
  /** 1-based line of the directive. */
  line: number;
}

export interface ModuleVersion {
  path: string;
  /** Empty when absent (a replacement of every version, or a local directory). */
  version: string;
}

export interface Require extends Located, ModuleVersion {
  indirect: boolean;
}

export interface Replace extends Located {
  old: ModuleVersion;
  new: ModuleVersion;
}

export interface Retract extends Located {
  low: string;
  high: string;
  rationale: string;
}

export interface GoDebug extends Located {
  key: string;
  value: string;
}

export interface GoMod {
  module: (Located & { path: string; deprecated: string }) | null;
  go: (Located & { version: string }) | null;
  toolchain: (Located & { name: string }) | null;
  godebug: GoDebug[];
  require: Require[];
  exclude: (Located & ModuleVersion)[];
  replace: Replace[];
  retract: Retract[];
  tool: (Located & { path: string })[];
  ignore: (Located & { path: string })[];
}

export interface GoWork {
  go: (Located & { version: string }) | null;
  toolchain: (Located & { name: string }) | null;
  godebug: GoDebug[];
  /** Module directories, as written (relative to the go.work directory unless absolute). */
  use: (Located & { path: string; modulePath: string })[];
  replace: Replace[];
}

export interface GoModIssue {
  line: number;
  message: string;
}

export class GoModError extends Error {
  readonly file: string;
  readonly issues: GoModIssue[];
  constructor(file: string, issues: GoModIssue[]) {
    super(issues.map((i) => `${file}:${i.line}: ${i.message}`).join('\n'));
    this.name = 'GoModError';
    this.file = file;
    this.issues = issues;
  }
}

// ---------------------------------------------------------------------------------------------
// Lexing into lines and blocks

interface Tok {
  text: string;
  /** True for a quoted string; `text` is then the unquoted value. */
  quoted: boolean;
  raw: string;
}

interface Line {
  line: number;
  toks: Tok[];
  /** Text of a trailing `//` comment (without the slashes, trimmed), or "". */
  comment: string;
  /** `//` comment lines directly above (for retract rationale and module deprecation). */
  before: string[];
}

interface Stmt {
  verb: string;
  /** One entry for a single-line directive; the block's lines for `verb ( ... )`. */
  lines: Line[];
  line: number;
  block: boolean;
  /** Comments directly above the directive (or its block). */
  before: string[];
}

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\u00a0' || c === '\u0085' || /\s/u.test(c);
}

/** Unquotes a Go string literal ("..." with escapes, or `...`); null when malformed. */
export function unquoteGo(raw: string): string | null {
  if (raw.startsWith('`')) return raw.endsWith('`') && raw.length >= 2 ? raw.slice(1, -1) : null;
  if (raw.length < 2 || !raw.endsWith('"')) return null;
  const s = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') return null;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (e !== undefined && e in simple) {
      out += simple[e];
      continue;
    }
    const hex = (n: number): string | null => {
      const h = s.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return null;
      i += n;
      return h;
    };
    if (e === 'x') {
      const h = hex(2);
      if (h === null) return null;
      out += String.fromCharCode(parseInt(h, 16));
    } else if (e === 'u' || e === 'U') {
      const h = hex(e === 'u' ? 4 : 8);
      if (h === null) return null;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return null;
      out += String.fromCodePoint(cp);
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const o = s.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) return null;
      i += 2;
      const v = parseInt(o, 8);
      if (v > 255) return null;
      out += String.fromCharCode(v);
    } else return null;
  }
  return out;
}

function lexLines(text: string, issues: GoModIssue[]): Line[] {
  const out: Line[] = [];
  const rows = text.split('\n');
  let pending: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const lineNo = r + 1;
    const toks: Tok[] = [];
    let comment = '';
    let i = 0;
    let bad = false;
    while (i < row.length) {
      const c = row[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (row.startsWith('//', i)) {
        comment = row.slice(i + 2).trim();
        break;
      }
      if (row.startsWith('/*', i)) {
        issues.push({ line: lineNo, message: 'mod files must use // comments, not /* */ comments' });
        bad = true;
        break;
      }
      if (PUNCT.has(c)) {
        toks.push({ text: c, quoted: false, raw: c });
        i++;
        continue;
      }
      if (c === '"' || c === '`') {
        let j = i + 1;
        if (c === '"') {
          while (j < row.length && row[j] !== '"') j += row[j] === '\\' ? 2 : 1;
        } else {
          while (j < row.length && row[j] !== '`') j++;
        }
        if (j >= row.length) {
          issues.push({ line: lineNo, message: 'unexpected newline in string' });
          bad = true;
          break;
        }
        const raw = row.slice(i, j + 1);
        const v = unquoteGo(raw);
        if (v === null) {
          issues.push({ line: lineNo, message: `invalid quoted string ${raw}` });
          bad = true;
          break;
        }
        toks.push({ text: v, quoted: true, raw });
        i = j + 1;
        continue;
      }
      let j = i;
      while (j < row.length && !isSpace(row[j]!) && !PUNCT.has(row[j]!) && row[j] !== '"' && row[j] !== '`' && !row.startsWith('//', j)) {
        if (row.startsWith('/*', j)) break;
        j++;
      }
      const word = row.slice(i, j);
      toks.push({ text: word, quoted: false, raw: word });
      i = j;
    }
    if (bad) {
      pending = [];
      continue;
    }
    if (toks.length === 0) {
      if (comment !== '' || row.trimStart().startsWith('//')) pending.push(comment);
      else pending = [];
      continue;
    }
    out.push({ line: lineNo, toks, comment, before: pending });
    pending = [];
  }
  return out;
}

function group(lines: Line[], issues: GoModIssue[]): Stmt[] {
  const out: Stmt[] = [];
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    const t = l.toks;
    if (t.length === 1 && t[0]!.text === ')' && !t[0]!.quoted) {
      issues.push({ line: l.line, message: 'unexpected )' });
      continue;
    }
    if (t.length === 2 && t[1]!.text === '(' && !t[1]!.quoted && !t[0]!.quoted) {
      const body: Line[] = [];
      let closed = false;
      for (k++; k < lines.length; k++) {
        const m = lines[k]!;
        if (m.toks.length >= 1 && m.toks[m.toks.length - 1]!.text === ')' && !m.toks[m.toks.length - 1]!.quoted) {
          if (m.toks.length > 1) body.push({ ...m, toks: m.toks.slice(0, -1) });
          closed = true;
          break;
        }
        if (m.toks.some((x) => x.text === '(' && !x.quoted)) {
          issues.push({ line: m.line, message: `unexpected ( inside ${t[0]!.text} block` });
          continue;
        }
        body.push(m);
      }
      if (!closed) issues.push({ line: l.line, message: `${t[0]!.text} block is not closed by )` });
      out.push({ verb: t[0]!.text, lines: body, line: l.line, block: true, before: l.before });
      continue;
    }
    out.push({ verb: t[0]!.quoted ? '"' + t[0]!.text : t[0]!.text, lines: [{ ...l, toks: t.slice(1) }], line: l.line, block: false, before: l.before });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const TOOLCHAIN_RE = /^go1(\.(0|[1-9][0-9]*)){1,2}((beta|rc)[1-9][0-9]*)?(-.+)?$|^default$/;
const SEMVER_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

export function isValidGoVersion(v: string): boolean {
  return GO_VERSION_RE.test(v);
}

function isSemver(v: string): boolean {
  return SEMVER_RE.test(v);
}

function isLocalPath(p: string): boolean {
  return p.startsWith('./') || p.startsWith('../') || p === '.' || p === '..' || p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('.\\') || p.startsWith('..\\');
}

function checkModulePath(p: string): string | null {
  if (p === '') return 'empty module path';
  if (/\s/.test(p)) return `malformed module path "${p}": contains white space`;
  if (p.startsWith('/') || p.endsWith('/') || p.includes('//')) return `malformed module path "${p}": leading, trailing or double slash`;
  if (p.split('/').some((e) => e === '.' || e === '..')) return `malformed module path "${p}": invalid path element`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// go.mod

/** Parses a go.mod file. Throws GoModError listing every problem with its line. */
export function parseGoMod(text: string, file = 'go.mod', opts: { strict?: boolean } = {}): GoMod {
  const strict = opts.strict ?? true;
  const issues: GoModIssue[] = [];
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const stmts = group(lexLines(text, issues), issues);
  const mod: GoMod = { module: null, go: null, toolchain: null, godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [] };
  const err = (line: number, message: string): void => {
    issues.push({ line, message });
  };
  const words = (l: Line): string[] => l.toks.map((t) => t.text);
  const single = (s: Stmt): Line | null => {
    if (s.block) {
      err(s.line, `${s.verb} directive cannot be a block`);
      return null;
    }
    return s.lines[0]!;
  };

  for (const s of stmts) {
    switch (s.verb) {
      case 'module': {
        const l = single(s);
        if (!l) break;
        if (mod.module) {
          err(l.line, `repeated module statement (first on line ${mod.module.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, 'usage: module module/path');
          break;
        }
        const p = l.toks[0]!.text;
        const bad = checkModulePath(p);
        if (bad) err(l.line, bad);
        const dep = [...s.before, l.comment].find((c) => c.startsWith('Deprecated:'));
        mod.module = { line: l.line, path: p, deprecated: dep ? dep.slice('Deprecated:'.length).trim() : '' };
        break;
      }
      case 'go': {
        const l = single(s);
        if (!l) break;
        if (mod.go) {
          err(l.line, `repeated go statement (first on line ${mod.go.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, 'go directive expects exactly one argument');
          break;
        }
        const v = l.toks[0]!.text;
        if (!GO_VERSION_RE.test(v)) {
          err(l.line, `invalid go version '${v}': must match format 1.23.0`);
          break;
        }
        mod.go = { line: l.line, version: v };
        break;
      }
      case 'toolchain': {
        const l = single(s);
        if (!l) break;
        if (mod.toolchain) {
          err(l.line, `repeated toolchain statement (first on line ${mod.toolchain.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, 'toolchain directive expects exactly one argument');
          break;
        }
        const v = l.toks[0]!.text;
        if (!TOOLCHAIN_RE.test(v)) {
          err(l.line, `invalid toolchain version '${v}': must match format go1.23.0 or default`);
          break;
        }
        mod.toolchain = { line: l.line, name: v };
        break;
      }
      case 'godebug':
        for (const l of s.lines) {
          const g = parseGoDebug(l, err);
          if (g) mod.godebug.push(g);
        }
        break;
      case 'require':
      case 'exclude':
        for (const l of s.lines) {
          const w = words(l);
          if (w.length !== 2) {
            err(l.line, `usage: ${s.verb} module/path v1.2.3`);
            continue;
          }
          const [p, v] = w as [string, string];
          const bad = checkModulePath(p);
          if (bad) {
            err(l.line, bad);
            continue;
          }
          if (!isSemver(v)) {
            err(l.line, `${s.verb} ${p}: invalid version "${v}": must be of the form v1.2.3`);
            continue;
          }
          if (s.verb === 'require') mod.require.push({ line: l.line, path: p, version: v, indirect: /^indirect(;|$)/.test(l.comment) });
          else mod.exclude.push({ line: l.line, path: p, version: v });
        }
        break;
      case 'replace':
        for (const l of s.lines) {
          const r = parseReplace(l, err, 'replace');
          if (r) mod.replace.push(r);
        }
        break;
      case 'retract':
        for (const l of s.lines) {
          const r = parseRetract(l, s.block ? l.before : s.before, err);
          if (r) mod.retract.push(r);
        }
        break;
      case 'tool':
      case 'ignore':
        for (const l of s.lines) {
          if (l.toks.length !== 1) {
            err(l.line, `usage: ${s.verb} ${s.verb === 'tool' ? 'module/path' : 'path/to/dir'}`);
            continue;
          }
          (s.verb === 'tool' ? mod.tool : mod.ignore).push({ line: l.line, path: l.toks[0]!.text });
        }
        break;
      default:
        if (strict) err(s.line, `unknown directive: ${s.verb}`);
    }
  }
  if (issues.length) throw new GoModError(file, issues.sort((a, b) => a.line - b.line));
  return mod;
}

function parseGoDebug(l: Line, err: (line: number, m: string) => void): GoDebug | null {
  const w = l.toks.map((t) => t.text);
  if (w.length !== 1 || !w[0]!.includes('=')) {
    err(l.line, 'usage: godebug key=value');
    return null;
  }
  const eq = w[0]!.indexOf('=');
  const key = w[0]!.slice(0, eq);
  const value = w[0]!.slice(eq + 1);
  if (key === '' || /[\s,"`]/.test(key) || /[\s,"`]/.test(value)) {
    err(l.line, `invalid godebug setting ${w[0]}`);
    return null;
  }
  return { line: l.line, key, value };
}

function parseReplace(l: Line, err: (line: number, m: string) => void, verb: string): Replace | null {
  const w = l.toks.map((t) => t.text);
  const arrow = l.toks.findIndex((t) => t.text === '=>' && !t.quoted);
  const usage = `usage: ${verb} module/path [v1.2.3] => other/module v1.4\n\t or ${verb} module/path [v1.2.3] => ../local/directory`;
  if (arrow !== 1 && arrow !== 2) {
    err(l.line, usage);
    return null;
  }
  const left = w.slice(0, arrow);
  const right = w.slice(arrow + 1);
  if (right.length < 1 || right.length > 2) {
    err(l.line, usage);
    return null;
  }
  const oldPath = left[0]!;
  const bad = checkModulePath(oldPath);
  if (bad) {
    err(l.line, bad);
    return null;
  }
  const oldVersion = left[1] ?? '';
  if (oldVersion !== '' && !isSemver(oldVersion)) {
    err(l.line, `${verb} ${oldPath}: invalid version "${oldVersion}"`);
    return null;
  }
  const newPath = right[0]!;
  const newVersion = right[1] ?? '';
  if (isLocalPath(newPath)) {
    if (newVersion !== '') {
      err(l.line, `replacement module directory path "${newPath}" cannot have version`);
      return null;
    }
  } else {
    const nb = checkModulePath(newPath);
    if (nb) {
      err(l.line, nb);
      return null;
    }
    if (newVersion === '') {
      err(l.line, `replacement module without version must be directory path (rooted or starting with ./ or ../)`);
      return null;
    }
    if (!isSemver(newVersion)) {
      err(l.line, `${verb} ${newPath}: invalid version "${newVersion}"`);
      return null;
    }
  }
  return { line: l.line, old: { path: oldPath, version: oldVersion }, new: { path: newPath, version: newVersion } };
}

function parseRetract(l: Line, before: string[], err: (line: number, m: string) => void): Retract | null {
  const t = l.toks;
  let low: string;
  let high: string;
  if (t.length === 1 && !PUNCT.has(t[0]!.text)) {
    low = high = t[0]!.text;
  } else if (t.length === 5 && t[0]!.text === '[' && t[2]!.text === ',' && t[4]!.text === ']') {
    low = t[1]!.text;
    high = t[3]!.text;
  } else {
    err(l.line, 'usage: retract version | retract [low, high]');
    return null;
  }
  for (const v of [low, high]) {
    if (!isSemver(v)) {
      err(l.line, `retract: invalid version "${v}"`);
      return null;
    }
  }
  const rationale = [...before, ...(l.comment ? [l.comment] : [])].join('\n').trim();
  return { line: l.line, low, high, rationale };
}

// ---------------------------------------------------------------------------------------------
// go.work

/** Parses a go.work file. Throws GoModError listing every problem with its line. */
export function parseGoWork(text: string, file = 'go.work'): GoWork {
  const issues: GoModIssue[] = [];
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const stmts = group(lexLines(text, issues), issues);
  const work: GoWork = { go: null, toolchain: null, godebug: [], use: [], replace: [] };
  const err = (line: number, message: string): void => {
    issues.push({ line, message });
  };
  for (const s of stmts) {
    switch (s.verb) {
      case 'go':
      case 'toolchain': {
        if (s.block) {
          err(s.line, `${s.verb} directive cannot be a block`);
          break;
        }
        const l = s.lines[0]!;
        const prev = s.verb === 'go' ? work.go : work.toolchain;
        if (prev) {
          err(l.line, `repeated ${s.verb} statement (first on line ${prev.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, `${s.verb} directive expects exactly one argument`);
          break;
        }
        const v = l.toks[0]!.text;
        if (s.verb === 'go') {
          if (!GO_VERSION_RE.test(v)) err(l.line, `invalid go version '${v}': must match format 1.23.0`);
          else work.go = { line: l.line, version: v };
        } else if (!TOOLCHAIN_RE.test(v)) err(l.line, `invalid toolchain version '${v}': must match format go1.23.0 or default`);
        else work.toolchain = { line: l.line, name: v };
        break;
      }
      case 'godebug':
        for (const l of s.lines) {
          const g = parseGoDebug(l, err);
          if (g) work.godebug.push(g);
        }
        break;
      case 'use':
        for (const l of s.lines) {
          if (l.toks.length !== 1) {
            err(l.line, 'usage: use local/dir');
            continue;
          }
          const p = l.toks[0]!.text;
          const prev = work.use.find((u) => u.path === p);
          if (prev) {
            err(l.line, `path ${p} appears multiple times in workspace (first on line ${prev.line})`);
            continue;
          }
          work.use.push({ line: l.line, path: p, modulePath: '' });
        }
        break;
      case 'replace':
        for (const l of s.lines) {
          const r = parseReplace(l, err, 'replace');
          if (r) work.replace.push(r);
        }
        break;
      default:
        err(s.line, `unknown directive: ${s.verb}`);
    }
  }
  if (issues.length) throw new GoModError(file, issues.sort((a, b) => a.line - b.line));
  return work;
}
