// Generates data/stdlib-api.json, the standard-library API index used by src/types/stdlib.ts,
// from the API listings of a Go installation ($GOROOT/api/go1*.txt and api/next/*.txt).
//
// Usage: node --import tsx scripts/gen-stdlib-api.ts [GOROOT] [--out FILE] [--check] [--quiet]
//   GOROOT   defaults to `go env GOROOT`
//   --out    output file (default data/stdlib-api.json); `-` writes to stdout
//   --check  compare with the existing file instead of writing; exit 1 if it differs
//
// Rules (see docs/stdlib-api.md for the data format):
//   - Lines listed in api/except.txt describe API that was removed or changed; they are
//     dropped (each such line appears in exactly one go1*.txt; its replacement, if any, is
//     listed in a later file). They still count when dating a symbol's first appearance.
//   - Platform: platform-independent lines plus the `linux-amd64` and `linux-amd64-cgo`
//     sections (the cgo section only adds runtime/cgo). Other platforms are left out.
//   - Since-version: the oldest listing file that mentions the symbol (go1.txt = 0,
//     go1.21.txt = 21, api/next/*.txt = the release after the newest go1.N.txt).
//   - Package-name qualifiers in type text (`rand.Source`) are resolved per package: the
//     only standard-library package of that name; if several, those exporting every name
//     used with the qualifier, then the ones the package's source imports, then the ones
//     imported by those imports (nearest first), then the shortest path.
//   - From $GOROOT/src (never from anything else) the script also reads which methods a
//     type declares itself (the rest of its listed method set is promoted through embedded
//     fields) and the embedded elements of each interface (listings flatten them).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSignature, parseType, parseTypeParams, qualifiersIn, type ParseContext } from '../src/types/typetext.js';

const FORMAT = 1;
const KEEP_CONTEXTS = new Set(['linux-amd64', 'linux-amd64-cgo']);
const PLATFORM = 'linux/amd64 (cgo)';

// ---------------------------------------------------------------------------------------
// Reading the listings

interface ApiLine {
  version: number;
  pkg: string;
  rest: string;
  excepted: boolean;
}

function versionOfFile(name: string): number | undefined {
  if (name === 'go1.txt') return 0;
  const m = /^go1\.(\d+)\.txt$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n');
}

/** Strips the proposal-issue suffix ` #12345` that lines carry since go1.19. */
function stripIssue(line: string): string {
  return line.replace(/ #\d+$/, '').trimEnd();
}

export function readApi(goroot: string): { lines: ApiLine[]; latest: number; files: string[] } {
  const apiDir = join(goroot, 'api');
  if (!existsSync(apiDir)) throw new Error(`no api directory at ${apiDir}: is ${goroot} a Go installation (GOROOT)?`);
  const files = readdirSync(apiDir)
    .map((name) => ({ name, v: versionOfFile(name) }))
    .filter((f): f is { name: string; v: number } => f.v !== undefined)
    .sort((a, b) => a.v - b.v);
  if (files.length === 0) throw new Error(`no go1*.txt listings in ${apiDir}`);
  const latest = files[files.length - 1]!.v;
  const sources: { path: string; label: string; v: number }[] = files.map((f) => ({
    path: join(apiDir, f.name),
    label: `api/${f.name}`,
    v: f.v,
  }));
  const nextDir = join(apiDir, 'next');
  if (existsSync(nextDir)) {
    for (const name of readdirSync(nextDir).filter((n) => n.endsWith('.txt')).sort()) {
      sources.push({ path: join(nextDir, name), label: `api/next/${name}`, v: latest + 1 });
    }
  }
  const except = new Set<string>();
  const exceptFile = join(apiDir, 'except.txt');
  if (existsSync(exceptFile)) {
    for (const raw of readLines(exceptFile)) {
      const l = stripIssue(raw);
      if (l.startsWith('pkg ')) except.add(l);
    }
  }
  const lines: ApiLine[] = [];
  const re = /^pkg (\S+?)(?: \(([^)]+)\))?, (.+)$/;
  for (const src of sources) {
    for (const raw of readLines(src.path)) {
      const l = stripIssue(raw);
      if (l === '' || l.startsWith('#')) continue;
      const m = re.exec(l);
      if (!m) throw new Error(`${src.label}: unrecognised line ${JSON.stringify(raw)}`);
      if (m[2] !== undefined && !KEEP_CONTEXTS.has(m[2])) continue;
      lines.push({ version: src.v, pkg: m[1]!, rest: m[3]!, excepted: except.has(l) });
    }
  }
  const hasNext = sources.some((s) => s.v > latest);
  return { lines, latest: hasNext ? latest + 1 : latest, files: sources.map((s) => s.label) };
}

// ---------------------------------------------------------------------------------------
// The model built from the lines

interface Dated {
  since: number;
  deprecated?: number;
}
interface Valued extends Dated {
  text: string;
  /** Version of the line the text came from (the newest wins on a conflict). */
  from: number;
}
interface FieldModel extends Valued {
  embedded: boolean;
}
interface MethodModel extends Valued {
  pointer: boolean;
}
interface TypeModel extends Dated {
  name: string;
  tparams?: string;
  decl?: { kind: 'struct' | 'interface' | 'alias' | 'other'; text: string; from: number };
  fields: Map<string, FieldModel>;
  methods: Map<string, MethodModel>;
  imethods: Map<string, Valued>;
  unexportedMethods: boolean;
  summary?: string[];
}
interface PkgModel {
  path: string;
  since: number;
  consts: Map<string, Valued>;
  vars: Map<string, Valued>;
  funcs: Map<string, Valued>;
  types: Map<string, TypeModel>;
}

class Builder {
  readonly pkgs = new Map<string, PkgModel>();
  readonly warnings: string[] = [];

  pkg(path: string, v: number): PkgModel {
    let p = this.pkgs.get(path);
    if (!p) {
      p = { path, since: v, consts: new Map(), vars: new Map(), funcs: new Map(), types: new Map() };
      this.pkgs.set(path, p);
    }
    p.since = Math.min(p.since, v);
    return p;
  }

  type(p: PkgModel, name: string, v: number): TypeModel {
    let t = p.types.get(name);
    if (!t) {
      t = { name, since: v, fields: new Map(), methods: new Map(), imethods: new Map(), unexportedMethods: false };
      p.types.set(name, t);
    }
    t.since = Math.min(t.since, v);
    return t;
  }

  /** Records a dated member; `text === undefined` only dates it (excepted or deprecation lines). */
  member<M extends Valued>(
    where: string,
    map: Map<string, M>,
    name: string,
    v: number,
    make: (() => M) | undefined,
    deprecated: boolean,
  ): void {
    let m = map.get(name);
    if (!m) {
      if (!make) {
        // Dating-only lines may precede the defining line; keep a placeholder.
        m = { text: '', from: -1, since: v } as M;
      } else {
        m = make();
      }
      map.set(name, m);
    } else if (make) {
      const fresh = make();
      if (m.from >= 0 && m.text !== fresh.text) {
        if (fresh.from >= m.from) {
          this.warnings.push(`${where} ${name}: ${JSON.stringify(m.text)} replaced by ${JSON.stringify(fresh.text)}`);
        } else {
          this.warnings.push(`${where} ${name}: kept ${JSON.stringify(m.text)} over ${JSON.stringify(fresh.text)}`);
        }
      }
      if (m.from < 0 || fresh.from >= m.from) {
        const since = m.since;
        const dep = m.deprecated;
        Object.assign(m, fresh);
        m.since = since;
        if (dep !== undefined) m.deprecated = dep;
      }
    }
    m.since = Math.min(m.since, v);
    if (deprecated) m.deprecated = Math.min(m.deprecated ?? v, v);
  }
}

const DEPRECATED = ' //deprecated';

/** Splits `Name[...]rest` into name, bracketed type-parameter text and the rest. */
function splitNameAndParams(s: string): { name: string; tparams?: string; rest: string } {
  const m = /^[A-Za-z_]\w*/.exec(s);
  if (!m) throw new Error(`expected a name at ${JSON.stringify(s)}`);
  const name = m[0];
  let i = name.length;
  let tparams: string | undefined;
  if (s[i] === '[') {
    let depth = 0;
    const start = i;
    for (; i < s.length; i++) {
      if (s[i] === '[') depth++;
      else if (s[i] === ']' && --depth === 0) break;
    }
    if (depth !== 0) throw new Error(`unbalanced "[" in ${JSON.stringify(s)}`);
    i++;
    tparams = s.slice(start, i);
  }
  return tparams === undefined ? { name, rest: s.slice(i) } : { name, tparams, rest: s.slice(i) };
}

function buildModel(lines: ApiLine[]): Builder {
  const b = new Builder();
  for (const line of lines) {
    const where = `${line.pkg}:`;
    try {
      applyLine(b, line);
    } catch (e) {
      throw new Error(`${where} cannot read API line "${line.rest}": ${(e as Error).message}`);
    }
  }
  return b;
}

function applyLine(b: Builder, line: ApiLine): void {
  const { version: v, rest } = line;
  const p = b.pkg(line.pkg, v);
  const dep = rest.endsWith(DEPRECATED);
  const body = dep ? rest.slice(0, -DEPRECATED.length) : rest;
  // Excepted lines and deprecation markers only date a symbol.
  const defines = !line.excepted && !dep;
  const sp = body.indexOf(' ');
  const word = body.slice(0, sp);
  const after = body.slice(sp + 1);
  const valued = (text: string) => () => ({ text, from: v, since: v });
  switch (word) {
    case 'const':
    case 'var': {
      const m = /^(\w+)(?: (.*))?$/.exec(after);
      if (!m) throw new Error('malformed declaration');
      const map = word === 'const' ? p.consts : p.vars;
      const text = m[2];
      if (text !== undefined && text.startsWith('= ')) {
        // A constant's value; only the type is recorded.
        b.member(`${line.pkg} ${word}`, map, m[1]!, v, undefined, false);
        return;
      }
      b.member(`${line.pkg} ${word}`, map, m[1]!, v, defines && text ? valued(text) : undefined, dep);
      return;
    }
    case 'func': {
      const { name, tparams, rest: sig } = splitNameAndParams(after);
      const text = (tparams ?? '') + sig;
      b.member(`${line.pkg} func`, p.funcs, name, v, defines && text ? valued(text) : undefined, dep);
      return;
    }
    case 'method': {
      if (!after.startsWith('(')) throw new Error('method without receiver');
      const close = after.indexOf(') ');
      const recv = after.slice(1, close);
      const pointer = recv.startsWith('*');
      const typeName = splitNameAndParams(pointer ? recv.slice(1) : recv).name;
      const { name, rest: sig } = splitNameAndParams(after.slice(close + 2));
      const t = b.type(p, typeName, v);
      b.member(
        `${line.pkg} method ${typeName}`,
        t.methods,
        name,
        v,
        defines && sig ? () => ({ text: sig, from: v, since: v, pointer }) : undefined,
        dep,
      );
      return;
    }
    case 'type': {
      const { name, tparams, rest: r0 } = splitNameAndParams(after);
      const t = b.type(p, name, v);
      if (tparams !== undefined && defines) t.tparams = tparams;
      const r = r0.replace(/^ /, '');
      if (r === '') {
        // `type T //deprecated`
        if (dep) t.deprecated = Math.min(t.deprecated ?? v, v);
        return;
      }
      if (r.startsWith('struct, ')) {
        structMember(b, line, t, r.slice('struct, '.length), defines, dep);
        return;
      }
      if (r.startsWith('interface, ')) {
        ifaceMember(b, line, t, r.slice('interface, '.length), defines, dep);
        return;
      }
      let decl: NonNullable<TypeModel['decl']>;
      if (r === 'struct') decl = { kind: 'struct', text: 'struct', from: v };
      else if (r.startsWith('interface {')) {
        decl = { kind: 'interface', text: 'interface', from: v };
        if (defines) {
          const inner = r.slice('interface {'.length, -1).trim();
          t.summary = inner === '' ? [] : inner.split(', ');
        }
      } else if (r.startsWith('= ')) decl = { kind: 'alias', text: r.slice(2), from: v };
      else decl = { kind: 'other', text: r, from: v };
      if (defines) {
        if (t.decl && (t.decl.kind !== decl.kind || t.decl.text !== decl.text) && t.decl.from > decl.from) return;
        if (t.decl && (t.decl.kind !== decl.kind || t.decl.text !== decl.text)) {
          b.warnings.push(`${line.pkg} type ${name}: ${t.decl.kind} ${t.decl.text} replaced by ${decl.kind} ${decl.text}`);
        }
        t.decl = decl;
      }
      return;
    }
    default:
      throw new Error(`unknown kind of declaration ${JSON.stringify(word)}`);
  }
}

function structMember(b: Builder, line: ApiLine, t: TypeModel, s: string, defines: boolean, dep: boolean): void {
  const v = line.version;
  if (!t.decl && defines) t.decl = { kind: 'struct', text: 'struct', from: v };
  let name: string;
  let text: string | undefined;
  let embedded = false;
  if (s.startsWith('embedded ')) {
    text = s.slice('embedded '.length);
    embedded = true;
    // The field name of an embedded field is its type name without pointer, qualifier or type arguments.
    name = /(\w+)(?:\[.*\])?$/.exec(text.replace(/^\*/, '').replace(/\[.*$/, ''))![1]!;
  } else {
    const sp = s.indexOf(' ');
    name = sp < 0 ? s : s.slice(0, sp);
    text = sp < 0 ? undefined : s.slice(sp + 1);
  }
  const fieldText = text;
  b.member(
    `${line.pkg} field ${t.name}`,
    t.fields,
    name,
    v,
    defines && fieldText !== undefined ? () => ({ text: fieldText, from: v, since: v, embedded }) : undefined,
    dep,
  );
}

function ifaceMember(b: Builder, line: ApiLine, t: TypeModel, s: string, defines: boolean, dep: boolean): void {
  const v = line.version;
  if (!t.decl && defines) t.decl = { kind: 'interface', text: 'interface', from: v };
  if (s === 'unexported methods') {
    if (defines) t.unexportedMethods = true;
    return;
  }
  const { name, rest } = splitNameAndParams(s);
  const sig = rest.replace(/^ /, '');
  b.member(
    `${line.pkg} interface ${t.name}`,
    t.imethods,
    name,
    v,
    defines && sig ? () => ({ text: sig, from: v, since: v }) : undefined,
    dep,
  );
}

/** Drops members that were only dated (all their defining lines excepted: removed API). */
function prune(b: Builder): void {
  const live = <M extends Valued>(map: Map<string, M>) => {
    for (const [k, m] of map) if (m.from < 0) map.delete(k);
  };
  for (const p of b.pkgs.values()) {
    live(p.consts);
    live(p.vars);
    live(p.funcs);
    for (const [name, t] of p.types) {
      live(t.fields);
      live(t.methods);
      live(t.imethods);
      if (!t.decl) {
        if (t.fields.size || t.methods.size || t.imethods.size) {
          b.warnings.push(`${p.path} type ${name}: members listed without a type line`);
        } else p.types.delete(name);
      }
    }
    if (!p.consts.size && !p.vars.size && !p.funcs.size && !p.types.size) b.pkgs.delete(p.path);
  }
}

// ---------------------------------------------------------------------------------------
// Reading $GOROOT/src: imports, declared methods, interface bodies

interface SourceElem {
  /** The element as written in the source (`io.Reader`, `*conn`, `~int | ~string`). */
  text: string;
  /** The import map of the file it is written in. */
  imports: Map<string, string>;
}

interface SourceFacts {
  imports: Set<string>;
  /** `Type.Method` → whether the receiver is a pointer, for every method declared in the package. */
  declaredMethods: Map<string, boolean>;
  /** Interface name → embedded elements. */
  ifaceEmbeds: Map<string, SourceElem[]>;
  /** Struct type name (exported or not) → embedded fields. */
  structEmbeds: Map<string, SourceElem[]>;
}

function goFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'))
    .sort()
    .map((n) => join(dir, n))
    .filter((f) => statSync(f).isFile());
}

function defaultPkgName(path: string): string {
  const parts = path.split('/');
  const last = parts[parts.length - 1]!;
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

function fileImports(src: string): Map<string, string> {
  const out = new Map<string, string>();
  const add = (name: string | undefined, path: string) => {
    if (name === '_' || name === '.') return;
    out.set(name ?? defaultPkgName(path), path);
  };
  const single = /^import\s+(?:(\w+)\s+)?"([^"]+)"/gm;
  for (const m of src.matchAll(single)) add(m[1], m[2]!);
  const block = /^import\s*\(([\s\S]*?)^\)/gm;
  for (const m of src.matchAll(block)) {
    for (const spec of m[1]!.matchAll(/^\s*(?:(\w+|\.)\s+)?"([^"]+)"/gm)) add(spec[1], spec[2]!);
  }
  return out;
}

/** Blanks out comments (keeping line breaks), skipping over string, raw-string and rune literals. */
function stripComments(src: string): string {
  let out = '';
  let i = 0;
  let last = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += src.slice(last, i);
      last = i = stop;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += src.slice(last, i) + src.slice(i, stop).replace(/[^\n]/g, ' ');
      last = i = stop;
    } else if (c === '"' || c === "'") {
      for (i++; i < n && src[i] !== c && src[i] !== '\n'; i++) if (src[i] === '\\') i++;
      i++;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      i = end < 0 ? n : end + 1;
    } else i++;
  }
  return out + src.slice(last);
}

/** The body lines of a declaration whose opening `{` ends line i, up to the closing brace at the same indentation. */
function blockBody(lines: string[], i: number, indent: string, tail: string): { body: string[]; end: number } {
  if (tail.includes('}')) return { body: tail.slice(0, tail.lastIndexOf('}')).split(';'), end: i };
  const body: string[] = [];
  const closing = `${indent}}`;
  let j = i + 1;
  for (; j < lines.length && lines[j]!.trimEnd() !== closing; j++) body.push(lines[j]!);
  return { body, end: j };
}

function readSourceFacts(goroot: string, path: string): SourceFacts {
  const facts: SourceFacts = { imports: new Set(), declaredMethods: new Map(), ifaceEmbeds: new Map(), structEmbeds: new Map() };
  for (const file of goFiles(join(goroot, 'src', path))) {
    const raw = readFileSync(file, 'utf8');
    const imports = fileImports(raw);
    for (const p of imports.values()) facts.imports.add(p);
    const src = stripComments(raw);
    for (const m of src.matchAll(/^func\s*\(\s*(?:\w+\s+)?(\*?)\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*(\w+)\s*[[(]/gm)) {
      const key = `${m[2]}.${m[3]}`;
      if (!facts.declaredMethods.has(key)) facts.declaredMethods.set(key, m[1] === '*');
    }
    const lines = src.split('\n');
    const isDecl = (indent: string, line: string) => indent !== '' || line.startsWith('type');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      // `type PublicKey any`: an empty interface.
      const empty = /^(\t?)(?:type\s+)?([A-Z]\w*)\s+any\s*$/.exec(line);
      if (empty && isDecl(empty[1]!, line)) {
        if (!facts.ifaceEmbeds.has(empty[2]!)) facts.ifaceEmbeds.set(empty[2]!, []);
        continue;
      }
      const st = /^(\t?)(?:type\s+)?(\w+)(?:\[.*\])?\s+struct\s*\{(.*)$/.exec(line);
      if (st && isDecl(st[1]!, line)) {
        const { body, end } = blockBody(lines, i, st[1]!, st[3]!);
        const fieldIndent = `${st[1]}\t`;
        const embeds: SourceElem[] = [];
        for (const b of body) {
          if (!b.startsWith(fieldIndent) || b[fieldIndent.length] === '\t') continue;
          const f = b.trim().replace(/\s+(`[^`]*`|"(?:[^"\\]|\\.)*")$/, '');
          if (/^\*?(?:\w+\.)?\w+(?:\[.*\])?$/.test(f)) embeds.push({ text: f, imports });
        }
        if (!facts.structEmbeds.has(st[2]!)) facts.structEmbeds.set(st[2]!, embeds);
        i = end;
        continue;
      }
      const m = /^(\t?)(?:type\s+)?([A-Z]\w*)(?:\[.*\])?\s+interface\s*\{(.*)$/.exec(line);
      if (!m || !isDecl(m[1]!, line)) continue;
      const name = m[2]!;
      const { body, end } = blockBody(lines, i, m[1]!, m[3]!);
      i = end;
      if (facts.ifaceEmbeds.has(name)) continue;
      // Join union continuation lines (`~int | ~int8 |` newline `~int16`).
      const elems: string[] = [];
      let pending = '';
      for (const b of body) {
        const s = b.trim();
        if (s === '') continue;
        pending = pending ? `${pending} ${s}` : s;
        if (pending.endsWith('|')) continue;
        elems.push(pending);
        pending = '';
      }
      if (pending) elems.push(pending);
      const embeds: SourceElem[] = [];
      for (const e of elems) {
        if (/^\w+\s*\(/.test(e)) continue; // a method
        embeds.push({ text: e, imports });
      }
      facts.ifaceEmbeds.set(name, embeds);
    }
  }
  return facts;
}

/**
 * Finds the type that declares method `method` promoted into `typeName`, breadth-first through
 * embedded fields as Go's selector rule does (the shallowest unique one wins). Returns its
 * package and receiver, or undefined if no path is found or it is ambiguous.
 */
function findOrigin(
  pkg: string,
  typeName: string,
  method: string,
  factsOf: (path: string) => SourceFacts,
  isIfaceWith: (path: string, type: string, method: string) => boolean,
): { pkg: string; name: string; pointer: boolean } | undefined {
  let level: { pkg: string; name: string }[] = [{ pkg, name: typeName }];
  const seen = new Set<string>([`${pkg}.${typeName}`]);
  for (let depth = 0; depth < 8 && level.length; depth++) {
    const found: { pkg: string; name: string; pointer: boolean }[] = [];
    const next: { pkg: string; name: string }[] = [];
    for (const t of level) {
      for (const e of factsOf(t.pkg).structEmbeds.get(t.name) ?? []) {
        const m = /^\*?(?:(\w+)\.)?(\w+)/.exec(e.text)!;
        const epkg = m[1] === undefined ? t.pkg : e.imports.get(m[1]);
        if (epkg === undefined) continue;
        const ename = m[2]!;
        const decl = factsOf(epkg).declaredMethods.get(`${ename}.${method}`);
        if (decl !== undefined) found.push({ pkg: epkg, name: ename, pointer: decl });
        else if (isIfaceWith(epkg, ename, method)) found.push({ pkg: epkg, name: ename, pointer: false });
        else if (!seen.has(`${epkg}.${ename}`)) {
          seen.add(`${epkg}.${ename}`);
          next.push({ pkg: epkg, name: ename });
        }
      }
    }
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
    level = next;
  }
  return undefined;
}

/** Rewrites a Go source type element into listing spelling; undefined if it names unexported types. */
function toListingText(
  text: string,
  fileImports: Map<string, string>,
  pkgNameOf: (path: string) => string,
  addImport: (name: string, path: string) => void,
): string | undefined {
  let ok = true;
  const adds: [string, string][] = [];
  const out = text.replace(/(?<![\w.])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?/g, (whole, a: string, b?: string) => {
    if (b !== undefined) {
      const path = fileImports.get(a);
      if (path === undefined) {
        ok = false;
        return whole;
      }
      if (!/^[A-Z]/.test(b)) ok = false;
      const name = pkgNameOf(path);
      adds.push([name, path]);
      return `${name}.${b}`;
    }
    switch (a) {
      case 'any':
        return 'interface{}';
      case 'byte':
        return 'uint8';
      case 'rune':
        return 'int32';
    }
    if (/^[a-z]/.test(a) && !['interface', 'func', 'map', 'chan', 'struct'].includes(a)) {
      if (!/^(bool|string|error|comparable|uintptr|u?int(8|16|32|64)?|float(32|64)|complex(64|128))$/.test(a)) ok = false;
    }
    return a;
  });
  if (!ok) return undefined;
  for (const [n, p] of adds) addImport(n, p);
  return out.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------
// Qualifier resolution and output

type Json = string | number | Json[] | { [k: string]: Json };

function sortedObject<V>(map: Map<string, V>, f: (v: V, k: string) => Json): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const k of [...map.keys()].sort()) out[k] = f(map.get(k)!, k);
  return out;
}

function withDep(arr: Json[], m: Dated): Json[] {
  if (m.deprecated !== undefined) arr.push(m.deprecated);
  return arr;
}

export interface GenerateResult {
  json: string;
  warnings: string[];
  stats: { packages: number; symbols: number; files: number };
}

export function generate(goroot: string): GenerateResult {
  const { lines, latest, files } = readApi(goroot);
  const b = buildModel(lines);
  prune(b);
  const paths = [...b.pkgs.keys()].sort();
  const byName = new Map<string, string[]>();
  for (const path of paths) {
    const n = defaultPkgName(path);
    byName.set(n, [...(byName.get(n) ?? []), path]);
  }
  const facts = new Map<string, SourceFacts>();
  const factsOf = (path: string): SourceFacts => {
    let f = facts.get(path);
    if (!f) {
      f = readSourceFacts(goroot, path);
      facts.set(path, f);
    }
    return f;
  };
  if (!existsSync(join(goroot, 'src'))) throw new Error(`no source tree at ${join(goroot, 'src')}`);

  const exportsName = (path: string, name: string): boolean => {
    const p = b.pkgs.get(path);
    return !!p && (p.types.has(name) || p.funcs.has(name) || p.vars.has(name) || p.consts.has(name));
  };

  const isIfaceWith = (path: string, type: string, method: string): boolean => {
    const t = b.pkgs.get(path)?.types.get(type);
    return !!t && t.decl?.kind === 'interface' && t.imethods.has(method);
  };

  const packages: { [k: string]: Json } = {};
  let symbols = 0;
  for (const path of paths) {
    const p = b.pkgs.get(path)!;
    const src = factsOf(path);
    const texts: string[] = [];
    const collect = (s: string | undefined) => {
      if (s) texts.push(s);
    };
    for (const m of [p.consts, p.vars, p.funcs]) for (const x of m.values()) collect(x.text);
    for (const t of p.types.values()) {
      collect(t.tparams);
      if (t.decl && t.decl.kind !== 'struct' && t.decl.kind !== 'interface') collect(t.decl.text);
      for (const m of [t.fields, t.methods, t.imethods]) for (const x of m.values()) collect(x.text);
    }
    // Qualifier → identifiers used with it.
    const used = new Map<string, Set<string>>();
    for (const s of texts) {
      for (const q of qualifiersIn(s)) {
        const ids = used.get(q) ?? new Set<string>();
        for (const m of s.matchAll(new RegExp(`(?<![\\w$.])${q}\\.(\\w+)`, 'g'))) ids.add(m[1]!);
        used.set(q, ids);
      }
    }
    const imports = new Map<string, string>();
    for (const q of [...used.keys()].sort()) {
      if (q === 'unsafe') continue;
      const resolved = resolveQualifier(q, [...used.get(q)!], path, byName, exportsName, factsOf, b.warnings);
      if (resolved === undefined) throw new Error(`${path}: cannot resolve package qualifier "${q}" (used as ${[...used.get(q)!].map((i) => `${q}.${i}`).join(', ')})`);
      imports.set(q, resolved);
    }
    const addImport = (name: string, ipath: string) => {
      if (ipath === path) return;
      const had = imports.get(name);
      if (had === undefined) imports.set(name, ipath);
      else if (had !== ipath) b.warnings.push(`${path}: qualifier "${name}" means both ${had} and ${ipath}`);
    };

    // Validate every text with the parser, so the data only holds text the loader can read.
    const ctx: ParseContext = { pkg: path, resolve: (q) => imports.get(q) };
    const check = (what: string, text: string, f: (t: string, c: ParseContext) => unknown) => {
      try {
        f(text, ctx);
      } catch (e) {
        throw new Error(`${path} ${what}: ${(e as Error).message}`);
      }
    };

    const pkgOut: { [k: string]: Json } = { name: defaultPkgName(path), since: p.since };
    const consts = sortedObject(p.consts, (c, k) => {
      check(`const ${k}`, c.text, parseType);
      return withDep([c.text, c.since], c);
    });
    const vars = sortedObject(p.vars, (c, k) => {
      check(`var ${k}`, c.text, parseType);
      return withDep([c.text, c.since], c);
    });
    const funcs = sortedObject(p.funcs, (c, k) => {
      check(`func ${k}`, c.text, parseSignature);
      return withDep([c.text, c.since], c);
    });
    const types = sortedObject(p.types, (t, k) => {
      const o: { [k: string]: Json } = {};
      const decl = t.decl!;
      let kind: string = decl.kind;
      if (decl.kind === 'other') {
        check(`type ${k}`, decl.text, parseType);
        kind = kindOf(decl.text);
        o.kind = kind;
        o.type = decl.text;
      } else if (decl.kind === 'alias') {
        check(`type ${k}`, decl.text, parseType);
        o.kind = 'alias';
        o.type = decl.text;
      } else o.kind = kind;
      o.since = t.since;
      if (t.deprecated !== undefined) o.deprecated = t.deprecated;
      if (t.tparams) {
        check(`type ${k} type parameters`, t.tparams, parseTypeParams);
        o.tparams = t.tparams;
      }
      if (kind === 'struct') {
        o.fields = sortedObject(t.fields, (f, fk) => {
          check(`field ${k}.${fk}`, f.text, parseType);
          return withDep([f.text, f.since, f.embedded ? 1 : 0], f);
        });
      } else if (t.fields.size) b.warnings.push(`${path} type ${k}: fields listed for a non-struct type`);
      if (kind === 'interface') {
        o.methods = sortedObject(t.imethods, (m, mk) => {
          check(`method ${k}.${mk}`, m.text, parseSignature);
          return withDep([m.text, m.since], m);
        });
        if (t.unexportedMethods) o.unexported = 1;
        if (t.summary) {
          const listed = [...t.imethods.keys()].sort().join(', ');
          if (t.summary.join(', ') !== listed) b.warnings.push(`${path} type ${k}: interface summary {${t.summary.join(', ')}} differs from listed methods {${listed}}`);
        }
        const elems = src.ifaceEmbeds.get(k);
        if (elems === undefined) b.warnings.push(`${path} type ${k}: interface declaration not found in source`);
        const embeds: string[] = [];
        for (const e of elems ?? []) {
          const text = toListingText(e.text, e.imports, (ip) => defaultPkgName(ip), addImport);
          if (text === undefined) continue;
          check(`embedded element of ${k}`, text, parseType);
          embeds.push(text);
        }
        if (embeds.length) o.embeds = embeds;
      } else {
        if (t.imethods.size) b.warnings.push(`${path} type ${k}: interface methods listed for a non-interface type`);
        if (t.methods.size && kind !== 'alias') {
          o.methods = sortedObject(t.methods, (m, mk) => {
            check(`method ${k}.${mk}`, m.text, parseSignature);
            let origin = '';
            if (!src.declaredMethods.has(`${k}.${mk}`)) {
              const o = findOrigin(path, k, mk, factsOf, isIfaceWith);
              if (o === undefined) {
                origin = '?';
                b.warnings.push(`${path} method ${k}.${mk}: promoted, but its declaring type was not found`);
              } else {
                const name = o.pkg === path ? o.name : `${defaultPkgName(o.pkg)}.${o.name}`;
                if (o.pkg !== path) addImport(defaultPkgName(o.pkg), o.pkg);
                origin = (o.pointer ? '*' : '') + name;
              }
            }
            return withDep([m.pointer ? '*' : '', m.text, m.since, origin], m);
          });
        } else if (t.methods.size) b.warnings.push(`${path} type ${k}: methods listed for an alias`);
      }
      return o;
    });
    symbols += p.consts.size + p.vars.size + p.funcs.size + p.types.size;
    if (imports.size) pkgOut.imports = sortedObject(imports, (x) => x);
    if (p.consts.size) pkgOut.consts = consts;
    if (p.vars.size) pkgOut.vars = vars;
    if (p.funcs.size) pkgOut.funcs = funcs;
    if (p.types.size) pkgOut.types = types;
    packages[path] = pkgOut;
  }

  const head = { format: FORMAT, go: `go1.${latest}`, platform: PLATFORM };
  const body = paths.map((path) => `${JSON.stringify(path)}:${JSON.stringify(packages[path])}`).join(',\n');
  const json = `${JSON.stringify(head).slice(0, -1)},"packages":{\n${body}\n}}\n`;
  return { json, warnings: [...new Set(b.warnings)].sort(), stats: { packages: paths.length, symbols, files: files.length } };
}

function kindOf(text: string): string {
  const t = parseType(text, { pkg: '', resolve: (q) => q });
  switch (t.kind) {
    case 'named':
      return 'basic';
    case 'typeparam':
      return 'typeparam';
    default:
      return t.kind;
  }
}

function resolveQualifier(
  q: string,
  ids: string[],
  self: string,
  byName: Map<string, string[]>,
  exportsName: (path: string, name: string) => boolean,
  factsOf: (path: string) => SourceFacts,
  warnings: string[],
): string | undefined {
  let cands = (byName.get(q) ?? []).filter((c) => c !== self);
  if (cands.length === 0) {
    // Not a listed package (internal or vendored): take the package's own import of that name.
    const own = [...factsOf(self).imports].filter((ip) => defaultPkgName(ip) === q).sort();
    if (own.length) warnings.push(`${self}: qualifier "${q}" refers to unlisted package ${own[0]}`);
    return own[0];
  }
  if (cands.length === 1) return cands[0];
  const exporting = cands.filter((c) => ids.every((id) => exportsName(c, id)));
  if (exporting.length === 1) return exporting[0];
  if (exporting.length > 1) cands = exporting;
  // Nearest in the import graph of the package's source.
  let frontier = [self];
  const seen = new Set(frontier);
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const next: string[] = [];
    for (const f of frontier) for (const ip of [...factsOf(f).imports].sort()) if (!seen.has(ip)) (seen.add(ip), next.push(ip));
    const hit = cands.filter((c) => next.includes(c));
    if (hit.length) {
      hit.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
      if (hit.length > 1) warnings.push(`${self}: qualifier "${q}" is ambiguous among ${hit.join(', ')}; chose ${hit[0]}`);
      return hit[0];
    }
    frontier = next;
  }
  cands.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  warnings.push(`${self}: qualifier "${q}" not found among imports; chose ${cands[0]} of ${cands.join(', ')}`);
  return cands[0];
}

// ---------------------------------------------------------------------------------------

function main(argv: string[]): number {
  let goroot: string | undefined;
  let out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'stdlib-api.json');
  let check = false;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      const v = argv[++i];
      if (!v) {
        console.error('gen-stdlib-api: --out needs a file name');
        return 2;
      }
      out = v;
    } else if (a === '--check') check = true;
    else if (a === '--quiet') quiet = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node --import tsx scripts/gen-stdlib-api.ts [GOROOT] [--out FILE|-] [--check] [--quiet]');
      return 0;
    } else if (a.startsWith('-')) {
      console.error(`gen-stdlib-api: unknown option ${a}`);
      return 2;
    } else goroot = a;
  }
  if (!goroot) {
    try {
      goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    } catch {
      console.error('gen-stdlib-api: no GOROOT given and `go env GOROOT` failed (is Go installed?)');
      return 2;
    }
  }
  let res: GenerateResult;
  try {
    res = generate(goroot);
  } catch (e) {
    console.error(`gen-stdlib-api: ${(e as Error).message}`);
    return 1;
  }
  if (!quiet) {
    for (const w of res.warnings) console.error(`note: ${w}`);
    console.error(
      `gen-stdlib-api: ${res.stats.packages} packages, ${res.stats.symbols} package-level symbols from ${res.stats.files} listings, ${Buffer.byteLength(res.json)} bytes`,
    );
  }
  if (check) {
    const cur = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (cur !== res.json) {
      console.error(`gen-stdlib-api: ${out} is out of date; run npm run gen:stdlib`);
      return 1;
    }
    return 0;
  }
  if (out === '-') process.stdout.write(res.json);
  else {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, res.json);
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
