// The standard-library API index: every exported const, var, func, type, field and method of
// the Go standard library (linux/amd64), read from data/stdlib-api.json, which
// scripts/gen-stdlib-api.ts generates from $GOROOT/api/*.txt. No Go toolchain is needed at
// run time. The data is loaded lazily, once, on first use: from the file under Node, or from
// whatever setStdlibSource was given (the browser bundle embeds the JSON). This module imports
// no Node API, so that it can be bundled for the browser.
//
// Type text is kept as the API listings spell it (package-local names, `io.Reader` qualified by
// package name, `uint8` for byte); every text also has a structured form (TypeExpr/Signature
// from ./typetext.ts) in which named types carry full import paths.
//
// Known limits (the listings do not record them): fields and methods reached only through
// unexported embedded fields are not listed as fields (their promoted *methods* are listed and
// attributed to the unexported declaring type); struct types appearing inside other types have
// no fields; named constraint interfaces record their type sets only through `embeds`.

import {
  parseSignature,
  parseType,
  parseTypeParams,
  type ParseContext,
  type Signature,
  type TypeExpr,
  type TypeParam,
} from './typetext.js';

export type { Signature, TypeExpr, TypeParam } from './typetext.js';

// ---------------------------------------------------------------------------------------
// The stored format (documented in docs/stdlib-api.md)

/** [type text, since] or [type text, since, deprecated since] */
type RawValue = [string, number] | [string, number, number];
/** [type text, since, embedded 0|1, deprecated since?] */
type RawField = [string, number, 0 | 1] | [string, number, 0 | 1, number];
/** [receiver "*" or "", signature, since, origin ("" declared here, else the declaring receiver), deprecated since?] */
type RawMethod = [string, string, number, string] | [string, string, number, string, number];
/** [signature, since, deprecated since?] */
type RawIfaceMethod = [string, number] | [string, number, number];

interface RawType {
  kind: string;
  since: number;
  deprecated?: number;
  type?: string;
  tparams?: string;
  fields?: Record<string, RawField>;
  methods?: Record<string, RawMethod | RawIfaceMethod>;
  embeds?: string[];
  unexported?: number;
}

interface RawPackage {
  name: string;
  since: number;
  imports?: Record<string, string>;
  consts?: Record<string, RawValue>;
  vars?: Record<string, RawValue>;
  funcs?: Record<string, RawValue>;
  types?: Record<string, RawType>;
}

export interface RawIndex {
  format: number;
  go: string;
  platform: string;
  packages: Record<string, RawPackage>;
}

const FORMAT = 1;

// ---------------------------------------------------------------------------------------
// Public model

/** `go1` for 0, `go1.21` for 21. */
export function goVersion(minor: number): string {
  return minor === 0 ? 'go1' : `go1.${minor}`;
}

export type TypeKind =
  | 'struct'
  | 'interface'
  | 'alias'
  | 'basic'
  | 'pointer'
  | 'slice'
  | 'array'
  | 'map'
  | 'chan'
  | 'func';

interface Dated {
  /** Release that introduced it: `go1`, `go1.21`, ... */
  readonly since: string;
  /** Minor release number of `since` (0 for go1), for comparisons. */
  readonly sinceMinor: number;
  /** Release whose listing first marked it deprecated (go1.16 covers all earlier deprecations). */
  readonly deprecated?: string;
}

export interface ConstMember extends Dated {
  readonly kind: 'const';
  readonly pkg: string;
  readonly name: string;
  /** `ideal-int`, `time.Duration`, `FileMode`, ... as listed. */
  readonly typeText: string;
  /** Untyped constants have type `{ kind: 'untyped' }`. */
  readonly type: TypeExpr;
}

export interface VarMember extends Dated {
  readonly kind: 'var';
  readonly pkg: string;
  readonly name: string;
  readonly typeText: string;
  readonly type: TypeExpr;
}

export interface FuncMember extends Dated {
  readonly kind: 'func';
  readonly pkg: string;
  readonly name: string;
  /** Signature text after the name: `(string) (*File, error)`, `[$0 interface{ ~[]$1 }, $1 cmp.Ordered]($0)`. */
  readonly sigText: string;
  readonly signature: Signature;
  /** go/types spelling of the function: `os.Open`, `net/http.Get`. */
  readonly fullName: string;
}

export interface TypeMember extends Dated {
  readonly kind: 'type';
  readonly pkg: string;
  readonly name: string;
  readonly typeKind: TypeKind;
  /** The underlying type (or the aliased type for an alias) as listed; absent for struct and interface. */
  readonly typeText?: string;
  /** Parsed `typeText`. */
  readonly type?: TypeExpr;
  /** Type parameters of a generic type (`iter.Seq[$0 interface{}]`). */
  readonly typeParams: TypeParam[];
  /** Interfaces: embedded elements as written in the source (`Reader`, `~int | ~string`), parsed. */
  readonly embeds: TypeExpr[];
  /** Interfaces with unexported methods (only the package itself can implement them). */
  readonly unexportedMethods: boolean;
}

export type Member = ConstMember | VarMember | FuncMember | TypeMember;

export interface TypeRef {
  /** Import path. */
  pkg: string;
  name: string;
  pointer: boolean;
}

export interface MethodInfo extends Dated {
  /** Package and name of the type whose method set this is (the type asked about, after aliases). */
  readonly pkg: string;
  readonly recvType: string;
  readonly name: string;
  /** True if the method is only in the pointer method set (`(*T) M`); false if `T` has it. */
  readonly pointerRecv: boolean;
  /** True for methods of interface types. */
  readonly isInterface: boolean;
  readonly sigText: string;
  readonly signature: Signature;
  /** True if the method comes from an embedded field or embedded interface. */
  readonly promoted: boolean;
  /** The type that declares the method (may be unexported, e.g. net.conn for (*net.TCPConn).Close). */
  readonly origin: TypeRef;
  /** go/types spelling of the declaring method: `(*bufio.Writer).Flush`, `(io.Closer).Close`. */
  readonly fullName: string;
}

export interface MethodSets {
  /** Method set of the value type T (for interfaces: all methods). Sorted by name. */
  value: MethodInfo[];
  /** Method set of *T (includes the value set; empty for interfaces). Sorted by name. */
  pointer: MethodInfo[];
}

export interface FieldInfo extends Dated {
  readonly name: string;
  readonly typeText: string;
  readonly type: TypeExpr;
  readonly embedded: boolean;
  /** 0 for the type's own fields; n for fields promoted through n embedded fields. */
  readonly depth: number;
  /** Names of the embedded fields leading to it (empty at depth 0): `["Reader"]`. */
  readonly via: string[];
  /** The struct type that declares the field. */
  readonly owner: { pkg: string; name: string };
}

export class StdlibDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StdlibDataError';
  }
}

// ---------------------------------------------------------------------------------------

function lazy<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

function dated<T extends object>(obj: T, since: number, deprecated: number | undefined): T & Dated {
  const o = obj as T & { since: string; sinceMinor: number; deprecated?: string };
  o.since = goVersion(since);
  o.sinceMinor = since;
  if (deprecated !== undefined) o.deprecated = goVersion(deprecated);
  return o;
}

function defineLazy<T extends object, V>(obj: T, key: string, f: () => V): void {
  const get = lazy(f);
  Object.defineProperty(obj, key, { get, enumerable: true, configurable: false });
}

function qualifiedPath(pkg: string, name: string): string {
  return `${pkg}.${name}`;
}

/** go/types (*Func).FullName for a method: `(*net/http.Client).Do`. */
export function methodFullName(recv: TypeRef, method: string): string {
  return `(${recv.pointer ? '*' : ''}${qualifiedPath(recv.pkg, recv.name)}).${method}`;
}

/** One package of the index. */
export class StdPackage {
  readonly path: string;
  readonly name: string;
  readonly since: string;
  readonly sinceMinor: number;
  /** Package-name qualifiers used in this package's type text, mapped to import paths. */
  readonly imports: Readonly<Record<string, string>>;
  private readonly raw: RawPackage;
  private readonly cache = new Map<string, Member | null>();
  readonly ctx: ParseContext;

  constructor(path: string, raw: RawPackage) {
    this.path = path;
    this.raw = raw;
    this.name = raw.name;
    this.sinceMinor = raw.since;
    this.since = goVersion(raw.since);
    this.imports = raw.imports ?? {};
    const imports = this.imports;
    this.ctx = { pkg: path, resolve: (q) => (Object.hasOwn(imports, q) ? imports[q] : undefined) };
  }

  /** Parses type text written in this package's listing. */
  parseType(text: string): TypeExpr {
    return parseType(text, this.ctx);
  }

  parseSignature(text: string): Signature {
    return parseSignature(text, this.ctx);
  }

  /** Names of all package-level members, sorted. */
  memberNames(): string[] {
    const r = this.raw;
    const names = [r.consts, r.vars, r.funcs, r.types].flatMap((m) => (m ? Object.keys(m) : []));
    return [...new Set(names)].sort();
  }

  member(name: string): Member | undefined {
    let m = this.cache.get(name);
    if (m === undefined) {
      m = this.makeMember(name) ?? null;
      this.cache.set(name, m);
    }
    return m ?? undefined;
  }

  /** The raw type entry (internal use by the index). */
  rawType(name: string): RawType | undefined {
    const t = this.raw.types;
    return t && Object.hasOwn(t, name) ? t[name] : undefined;
  }

  private makeMember(name: string): Member | undefined {
    const r = this.raw;
    const own = <V>(m: Record<string, V> | undefined): V | undefined => (m && Object.hasOwn(m, name) ? m[name] : undefined);
    const c = own(r.consts);
    if (c) return this.valueMember('const', name, c) as ConstMember;
    const v = own(r.vars);
    if (v) return this.valueMember('var', name, v) as VarMember;
    const f = own(r.funcs);
    if (f) {
      const m = dated({ kind: 'func', pkg: this.path, name, sigText: f[0], fullName: qualifiedPath(this.path, name) }, f[1], f[2]);
      defineLazy(m, 'signature', () => this.parseSignature(f[0]));
      return m as unknown as FuncMember;
    }
    const t = own(r.types);
    if (t) return this.typeMember(name, t);
    return undefined;
  }

  private valueMember(kind: 'const' | 'var', name: string, v: RawValue): Member {
    const m = dated({ kind, pkg: this.path, name, typeText: v[0] }, v[1], v[2]);
    defineLazy(m, 'type', () => this.parseType(v[0]));
    return m as unknown as Member;
  }

  private typeMember(name: string, t: RawType): TypeMember {
    const m = dated(
      {
        kind: 'type' as const,
        pkg: this.path,
        name,
        typeKind: t.kind as TypeKind,
        unexportedMethods: t.unexported === 1,
      },
      t.since,
      t.deprecated,
    ) as unknown as Record<string, unknown>;
    if (t.type !== undefined) {
      m.typeText = t.type;
      defineLazy(m, 'type', () => this.parseType(t.type!));
    }
    defineLazy(m, 'typeParams', () => (t.tparams ? parseTypeParams(t.tparams, this.ctx) : []));
    defineLazy(m, 'embeds', () => (t.embeds ?? []).map((e) => this.parseType(e)));
    return m as unknown as TypeMember;
  }
}

/** The whole index. Normally used through the module-level functions below. */
export class StdlibIndex {
  /** Release of the newest listing the data was generated from, e.g. `go1.26`. */
  readonly go: string;
  readonly platform: string;
  readonly raw: RawIndex;
  private readonly pkgs = new Map<string, StdPackage>();
  private readonly methodCache = new Map<string, MethodSets | null>();
  private byName?: Map<string, string[]>;

  constructor(raw: RawIndex) {
    if (!raw || typeof raw !== 'object' || typeof raw.packages !== 'object' || raw.packages === null) {
      throw new StdlibDataError('standard-library API data is malformed: no "packages" object');
    }
    if (raw.format !== FORMAT) {
      throw new StdlibDataError(`standard-library API data has format ${String(raw.format)}, this version of deferguard reads format ${FORMAT}`);
    }
    this.raw = raw;
    this.go = raw.go;
    this.platform = raw.platform;
  }

  /** All package paths, sorted. */
  packagePaths(): string[] {
    return Object.keys(this.raw.packages).sort();
  }

  package(path: string): StdPackage | undefined {
    let p = this.pkgs.get(path);
    if (!p) {
      if (!Object.hasOwn(this.raw.packages, path)) return undefined;
      p = new StdPackage(path, this.raw.packages[path]!);
      this.pkgs.set(path, p);
    }
    return p;
  }

  /** Paths of the packages whose name is `name` (`rand` → crypto/rand, math/rand, math/rand/v2). */
  packagesNamed(name: string): string[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const path of this.packagePaths()) {
        const n = this.raw.packages[path]!.name;
        this.byName.set(n, [...(this.byName.get(n) ?? []), path]);
      }
    }
    return [...(this.byName.get(name) ?? [])];
  }

  member(path: string, name: string): Member | undefined {
    return this.package(path)?.member(name);
  }

  /** Follows aliases (`os.FileInfo` → `io/fs.FileInfo`); undefined if the type is unknown or aliases a non-named type. */
  resolveType(path: string, name: string): TypeMember | undefined {
    for (let i = 0; i < 16; i++) {
      const m = this.member(path, name);
      if (!m || m.kind !== 'type') return undefined;
      if (m.typeKind !== 'alias') return m;
      const target = m.type;
      if (!target || target.kind !== 'named' || target.pkg === '') return m;
      path = target.pkg;
      name = target.name;
    }
    return undefined;
  }

  /** Value and pointer method sets of a named type (after aliases), including promoted methods. */
  methodsOf(path: string, typeName: string): MethodSets | undefined {
    const t = this.resolveType(path, typeName);
    if (!t) return undefined;
    const key = `${t.pkg}\u0000${t.name}`;
    let sets = this.methodCache.get(key);
    if (sets === undefined) {
      sets = this.buildMethodSets(t) ?? null;
      this.methodCache.set(key, sets);
    }
    return sets ? { value: [...sets.value], pointer: [...sets.pointer] } : undefined;
  }

  /** A method of T or *T (pointer = true, the default, looks in the method set of *T). */
  lookupMethod(path: string, typeName: string, method: string, pointer = true): MethodInfo | undefined {
    const sets = this.methodsOf(path, typeName);
    if (!sets) return undefined;
    return (pointer ? sets.pointer : sets.value).find((m) => m.name === method) ?? (pointer ? sets.value.find((m) => m.name === method) : undefined);
  }

  private buildMethodSets(t: TypeMember): MethodSets | undefined {
    const pkg = this.package(t.pkg)!;
    const raw = pkg.rawType(t.name);
    if (!raw) return undefined;
    const methods = raw.methods ?? {};
    const out: MethodInfo[] = [];
    if (t.typeKind === 'interface') {
      for (const name of Object.keys(methods).sort()) {
        const m = methods[name] as RawIfaceMethod;
        const origin = this.interfaceOrigin(t.pkg, t.name, name, 0) ?? { pkg: t.pkg, name: t.name, pointer: false };
        out.push(
          this.methodInfo(pkg, t.name, name, false, true, m[0], m[1], m[2], origin, origin.pkg !== t.pkg || origin.name !== t.name),
        );
      }
      return { value: out, pointer: [] };
    }
    const value: MethodInfo[] = [];
    for (const name of Object.keys(methods).sort()) {
      const m = methods[name] as RawMethod;
      const pointerRecv = m[0] === '*';
      let origin: TypeRef;
      let promoted = false;
      if (m[3] === '') origin = { pkg: t.pkg, name: t.name, pointer: pointerRecv };
      else {
        promoted = true;
        origin = this.originRef(pkg, m[3]) ?? { pkg: t.pkg, name: t.name, pointer: pointerRecv };
        // A method promoted from an interface field is declared by the interface (or one it embeds).
        const io = this.interfaceOrigin(origin.pkg, origin.name, name, 0);
        if (io) origin = io;
      }
      const info = this.methodInfo(pkg, t.name, name, pointerRecv, false, m[1], m[2], m[4], origin, promoted);
      out.push(info);
      if (!pointerRecv) value.push(info);
    }
    return { value, pointer: out };
  }

  private originRef(pkg: StdPackage, text: string): TypeRef | undefined {
    if (text === '?') return undefined;
    const pointer = text.startsWith('*');
    const t = pkg.parseType(pointer ? text.slice(1) : text);
    if (t.kind !== 'named') return undefined;
    return { pkg: t.pkg, name: t.name, pointer };
  }

  /** The interface that declares `method`, searching `name`'s embedded interfaces; undefined if `name` is not an interface. */
  private interfaceOrigin(path: string, name: string, method: string, depth: number): TypeRef | undefined {
    if (depth > 16) return undefined;
    const t = this.resolveType(path, name);
    if (!t || t.typeKind !== 'interface') return undefined;
    const raw = this.package(t.pkg)!.rawType(t.name);
    if (!raw?.methods || !Object.hasOwn(raw.methods, method)) return undefined;
    for (const e of t.embeds) {
      if (e.kind !== 'named' || e.pkg === '') continue;
      const o = this.interfaceOrigin(e.pkg, e.name, method, depth + 1);
      if (o) return o;
    }
    return { pkg: t.pkg, name: t.name, pointer: false };
  }

  private methodInfo(
    pkg: StdPackage,
    recvType: string,
    name: string,
    pointerRecv: boolean,
    isInterface: boolean,
    sigText: string,
    since: number,
    deprecated: number | undefined,
    origin: TypeRef,
    promoted: boolean,
  ): MethodInfo {
    const m = dated(
      {
        pkg: pkg.path,
        recvType,
        name,
        pointerRecv,
        isInterface,
        sigText,
        promoted,
        origin,
        fullName: methodFullName(origin, name),
      },
      since,
      deprecated,
    );
    defineLazy(m, 'signature', () => pkg.parseSignature(sigText));
    return m as unknown as MethodInfo;
  }

  /**
   * Fields of a struct type (after aliases): its own, then those promoted through embedded
   * fields by Go's selector rule (the shallowest depth wins; a name found twice at the same
   * depth is ambiguous and hides deeper ones). Sorted by depth, then name.
   */
  fieldsOf(path: string, typeName: string): FieldInfo[] | undefined {
    const start = this.resolveType(path, typeName);
    if (!start) return undefined;
    if (start.typeKind !== 'struct') return [];
    const result = new Map<string, FieldInfo | null>();
    let level: { t: TypeMember; via: string[] }[] = [{ t: start, via: [] }];
    const seen = new Set<string>([`${start.pkg}.${start.name}`]);
    for (let depth = 0; level.length && depth < 32; depth++) {
      const found = new Map<string, FieldInfo[]>();
      const next: { t: TypeMember; via: string[] }[] = [];
      for (const { t, via } of level) {
        const pkg = this.package(t.pkg)!;
        const fields = pkg.rawType(t.name)?.fields ?? {};
        for (const fname of Object.keys(fields).sort()) {
          const f = fields[fname]!;
          const info = dated(
            { name: fname, typeText: f[0], embedded: f[2] === 1, depth, via, owner: { pkg: t.pkg, name: t.name } },
            f[1],
            f[3],
          );
          defineLazy(info, 'type', () => pkg.parseType(f[0]));
          found.set(fname, [...(found.get(fname) ?? []), info as unknown as FieldInfo]);
          if (f[2] === 1) {
            let et = pkg.parseType(f[0]);
            if (et.kind === 'pointer') et = et.elem;
            if (et.kind !== 'named' || et.pkg === '') continue;
            const target = this.resolveType(et.pkg, et.name);
            if (!target || target.typeKind !== 'struct') continue;
            const key = `${target.pkg}.${target.name}`;
            if (seen.has(key)) continue;
            seen.add(key);
            next.push({ t: target, via: [...via, fname] });
          }
        }
      }
      for (const [name, list] of found) if (!result.has(name)) result.set(name, list.length === 1 ? list[0]! : null);
      level = next;
    }
    return [...result.values()]
      .filter((f): f is FieldInfo => f !== null)
      .sort((a, b) => a.depth - b.depth || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A field of a struct type, own or promoted. */
  lookupField(path: string, typeName: string, field: string): FieldInfo | undefined {
    return this.fieldsOf(path, typeName)?.find((f) => f.name === field);
  }
}

// ---------------------------------------------------------------------------------------
// The default index, loaded from data/stdlib-api.json on first use

/**
 * Location of the generated data (works from src/types and from dist/types). In a bundle without
 * import.meta (the browser playground) the data comes from setStdlibSource and this placeholder
 * is never read.
 */
export const STDLIB_DATA_URL: URL = (() => {
  try {
    return new URL('../../data/stdlib-api.json', import.meta.url);
  } catch {
    return new URL('file:///deferguard/data/stdlib-api.json');
  }
})();

/** Node's fs and url modules when running under Node (looked up at run time, never imported). */
function nodeModules(): { fs: typeof import('node:fs'); url: typeof import('node:url') } | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const get = proc?.getBuiltinModule;
  if (typeof get !== 'function') return undefined;
  return { fs: get.call(proc, 'node:fs') as typeof import('node:fs'), url: get.call(proc, 'node:url') as typeof import('node:url') };
}

/** Builds an index from the JSON text (or the parsed value) of the data; `name` says where it came from. */
export function parseStdlibIndex(data: string | RawIndex, name = 'standard-library API data'): StdlibIndex {
  let raw: RawIndex;
  if (typeof data === 'string') {
    try {
      raw = JSON.parse(data) as RawIndex;
    } catch (e) {
      throw new StdlibDataError(`the standard-library API data ${name} is not valid JSON: ${(e as Error).message}`);
    }
  } else raw = data;
  return new StdlibIndex(raw);
}

/** Reads an index from a JSON file (Node only); errors name the file and say what to do. */
export function loadStdlibIndex(file: string | URL = STDLIB_DATA_URL): StdlibIndex {
  const node = nodeModules();
  if (!node) {
    throw new StdlibDataError(
      `cannot read the standard-library API data ${String(file)}: no file system here (give the data with setStdlibSource, or run on Node 20.16 or later)`,
    );
  }
  const name = file instanceof URL ? node.url.fileURLToPath(file) : file;
  let text: string;
  try {
    text = node.fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new StdlibDataError(
      `cannot read the standard-library API data ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (regenerate it with npm run gen:stdlib)`,
    );
  }
  return parseStdlibIndex(text, name);
}

/** Where the shared index comes from: the JSON text or parsed data, or a function returning either. */
export type StdlibSource = string | RawIndex | (() => string | RawIndex);

let source: StdlibSource | undefined;
let defaultIndex: StdlibIndex | undefined;

/**
 * Replaces where the shared index is loaded from (undefined: data/stdlib-api.json again). The
 * index is loaded on the next use. A browser bundle calls this before analysing anything.
 */
export function setStdlibSource(src: StdlibSource | undefined): void {
  source = src;
  defaultIndex = undefined;
}

/**
 * A few widely used third-party packages (zap, logrus, zerolog) in the same format:
 * data/known-modules-api.json, written by hand from their declarations (the file says which
 * versions). The analysed module's own packages are read from source, never from here, and
 * other third-party packages stay unknown. They let `logger := zap.NewExample()` have a type,
 * so that `logger.Fatal(...)` is known to end the process.
 */
export const KNOWN_MODULES_DATA_URL: URL = (() => {
  try {
    return new URL('../../data/known-modules-api.json', import.meta.url);
  } catch {
    return new URL('file:///deferguard/data/known-modules-api.json');
  }
})();

let knownSource: string | RawIndex | undefined;

/** Replaces the known third-party packages' data (the browser bundle embeds it; undefined: the file again). */
export function setKnownModulesSource(src: string | RawIndex | undefined): void {
  knownSource = src;
  defaultIndex = undefined;
}

/** The known third-party packages, or none when their data cannot be read (it only adds types). */
function knownModules(): Record<string, RawPackage> {
  try {
    let raw: RawIndex | undefined;
    if (knownSource !== undefined) raw = typeof knownSource === 'string' ? (JSON.parse(knownSource) as RawIndex) : knownSource;
    else {
      const node = nodeModules();
      if (!node) return {};
      raw = JSON.parse(node.fs.readFileSync(KNOWN_MODULES_DATA_URL, 'utf8')) as RawIndex;
    }
    return raw.format === FORMAT ? raw.packages : {};
  } catch {
    return {};
  }
}

/** The shared index (loaded once): the standard library, then the known third-party packages. */
export function stdlib(): StdlibIndex {
  if (!defaultIndex) {
    let raw: RawIndex;
    if (source === undefined) raw = loadStdlibIndex().raw;
    else raw = parseStdlibIndex(typeof source === 'function' ? source() : source).raw;
    const extra = knownModules();
    const packages = { ...raw.packages };
    for (const [path, p] of Object.entries(extra)) if (!(path in packages)) packages[path] = p;
    defaultIndex = new StdlibIndex({ ...raw, packages });
  }
  return defaultIndex;
}

export function stdlibPackage(path: string): StdPackage | undefined {
  return stdlib().package(path);
}

export function stdlibPackagePaths(): string[] {
  return stdlib().packagePaths();
}

export function isStdlibPackage(path: string): boolean {
  return stdlib().package(path) !== undefined;
}

/** A package-level const, var, func or type: `lookupMember('os', 'Open')`. */
export function lookupMember(path: string, name: string): Member | undefined {
  return stdlib().member(path, name);
}

export function methodsOf(path: string, typeName: string): MethodSets | undefined {
  return stdlib().methodsOf(path, typeName);
}

export function lookupMethod(path: string, typeName: string, method: string, pointer = true): MethodInfo | undefined {
  return stdlib().lookupMethod(path, typeName, method, pointer);
}

export function fieldsOf(path: string, typeName: string): FieldInfo[] | undefined {
  return stdlib().fieldsOf(path, typeName);
}

export function lookupField(path: string, typeName: string, field: string): FieldInfo | undefined {
  return stdlib().lookupField(path, typeName, field);
}
