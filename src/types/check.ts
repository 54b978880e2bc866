// The light type resolver: scopes and objects, expression types and callee resolution for one
// package. Module-internal and other source packages are read from source (declarations only,
// on demand); the standard library comes from the API index when no source is given. Whatever
// cannot be determined stays undefined.
import type * as ast from '../syntax/ast.js';
import type { SourceFile } from '../syntax/source.js';
import { unparen } from '../syntax/nodes.js';
import type {
  BasicType,
  Callee,
  ChanDir,
  InterfaceMethod,
  NamedType,
  Obj,
  ObjKind,
  Param,
  SignatureType,
  StructField,
  Type,
  TypeInfo,
  TypeParamType,
} from './api.js';
import { stdlib, type StdPackage } from './stdlib.js';
import type { Signature as TextSignature, TypeExpr } from './typetext.js';

export interface CheckFile {
  file: ast.File;
  source?: SourceFile;
  goVersion?: string;
}

export interface ImportedSource {
  name: string;
  files: ast.File[];
}

export interface CheckInput {
  /** Import path of the package. */
  path: string;
  name: string;
  files: CheckFile[];
  /** Source of an imported package, or undefined to use the standard-library index (or nothing). */
  importer?: (importPath: string) => ImportedSource | undefined;
  /** Shared across packages of one run so dependencies are read once. */
  universe?: Universe;
}

export interface CheckResult {
  info: TypeInfo;
  errors: string[];
}

// ---------------------------------------------------------------------------------------------
// Basic types and the universe

const basicCache = new Map<string, BasicType>();
function basic(name: string): BasicType {
  let b = basicCache.get(name);
  if (!b) {
    b = { kind: 'basic', name };
    basicCache.set(name, b);
  }
  return b;
}

const BASIC_NAMES = [
  'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
  'float32', 'float64', 'complex64', 'complex128', 'string',
];
const UNTYPED_NIL = basic('untyped nil');
const INT = basic('int');
const BOOL = basic('bool');
const STRING = basic('string');
const UINT8 = basic('uint8');
const INT32 = basic('int32');
const FLOAT64 = basic('float64');
const COMPLEX128 = basic('complex128');
const UNSAFE_POINTER = basic('unsafe.Pointer');
const EMPTY_IFACE: Type = { kind: 'interface', methods: [], embeds: [] };

const BUILTINS = [
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover',
];
const UNSAFE_FUNCS = ['Alignof', 'Offsetof', 'Sizeof', 'Add', 'Slice', 'SliceData', 'String', 'StringData'];

/** A defined type: the common shape of source-declared and index-declared named types. */
abstract class Named implements NamedType {
  readonly kind = 'named' as const;
  typeArgs: Type[] | null = null;
  constructor(readonly pkg: string, readonly name: string) {}
  abstract underlying(): Type | undefined;
  /** The method or field `name` as seen from a value (ptr=false) or pointer (ptr=true) of this type. */
  abstract select(name: string, ptr: boolean, depth: number): Selection | undefined;
  /** The origin (uninstantiated) type. */
  origin(): Named {
    return this;
  }
}

/**
 * A named type with a fixed underlying type and no declared methods (the universe's `error` has
 * its Error): `error` and `comparable`, and the types of cgo's pseudo-package "C" whose kind their
 * name gives away.
 */
class FixedNamed extends Named {
  constructor(pkg: string, name: string, private readonly under: Type) {
    super(pkg, name);
  }
  underlying(): Type | undefined {
    return this.under;
  }
  select(name: string): Selection | undefined {
    if (this.pkg === '' && this.name === 'error' && name === 'Error') {
      return { kind: 'method', fullName: '(error).Error', short: 'Error', recv: { pkg: '', name: 'error', pointer: false }, sig: sig([], [STRING]), iface: true };
    }
    return undefined;
  }
}

const CGO_NUMERIC: Readonly<Record<string, string>> = {
  char: 'int8', schar: 'int8', uchar: 'uint8', short: 'int16', ushort: 'uint16', int: 'int32', uint: 'uint32',
  long: 'int64', ulong: 'uint64', longlong: 'int64', ulonglong: 'uint64', float: 'float32', double: 'float64',
  size_t: 'uintptr', int8_t: 'int8', int16_t: 'int16', int32_t: 'int32', int64_t: 'int64', uint8_t: 'uint8',
  uint16_t: 'uint16', uint32_t: 'uint32', uint64_t: 'uint64', uintptr_t: 'uintptr',
};

/** `C.struct_x`, `C.union_x` (structs, never nil), `C.enum_x`, `C.int`...; other C names (typedefs) stay unknown. */
function cgoType(name: string): Type | undefined {
  if (/^(struct|union)_/.test(name)) return new FixedNamed('C', name, { kind: 'struct', fields: [] });
  if (name.startsWith('enum_')) return new FixedNamed('C', name, basic('uint32'));
  const b = CGO_NUMERIC[name];
  return b ? new FixedNamed('C', name, basic(b)) : undefined;
}

function sig(params: Type[], results: Type[], variadic = false): SignatureType {
  return {
    kind: 'signature',
    params: params.map((type) => ({ name: '', type })),
    results: results.map((type) => ({ name: '', type })),
    variadic,
  };
}

const ERROR_TYPE = new FixedNamed('', 'error', { kind: 'interface', methods: [{ name: 'Error', sig: sig([], [STRING]) }], embeds: [] });
const COMPARABLE = new FixedNamed('', 'comparable', { kind: 'interface', methods: [], embeds: [] });

/** A field or method found by selection. */
type Selection =
  | { kind: 'field'; type: Type | undefined; owner?: Named }
  | {
      kind: 'method';
      fullName: string;
      short: string;
      recv: { pkg: string; name: string; pointer: boolean };
      sig: SignatureType | undefined;
      iface: boolean;
      decl?: ast.FuncDecl;
    };

// ---------------------------------------------------------------------------------------------
// Objects

class LObj implements Obj {
  decl: ast.Ident | null = null;
  imported?: string;
  varKind?: Obj['varKind'];
  funcDecl?: ast.FuncDecl;
  private computed = false;
  private computing = false;
  private t: Type | undefined;
  constructor(
    readonly kind: ObjKind,
    readonly name: string,
    readonly pkg: string,
    private thunk: (() => Type | undefined) | Type | undefined,
  ) {}
  get type(): Type | undefined {
    if (!this.computed) {
      if (this.computing) return undefined; // cycle
      this.computing = true;
      try {
        this.t = typeof this.thunk === 'function' ? this.thunk() : this.thunk;
      } catch {
        this.t = undefined;
      }
      this.computing = false;
      this.computed = true;
      this.thunk = undefined;
    }
    return this.t;
  }
}

type Scope = { parent: Scope | null; names: Map<string, LObj> };

function newScope(parent: Scope | null): Scope {
  return { parent, names: new Map() };
}

function lookupScope(s: Scope | null, name: string): LObj | undefined {
  for (; s; s = s.parent) {
    const o = s.names.get(name);
    if (o) return o;
  }
  return undefined;
}

/** Shared state across the packages of one run: the universe scope and every imported package. */
export class Universe {
  readonly scope: Scope = newScope(null);
  private readonly pkgs = new Map<string, PackageView | null>();
  constructor(readonly importer?: (importPath: string) => ImportedSource | undefined) {
    const s = this.scope.names;
    for (const n of BASIC_NAMES) s.set(n, new LObj('type', n, '', basic(n)));
    s.set('byte', new LObj('type', 'byte', '', UINT8));
    s.set('rune', new LObj('type', 'rune', '', INT32));
    s.set('error', new LObj('type', 'error', '', ERROR_TYPE));
    s.set('comparable', new LObj('type', 'comparable', '', COMPARABLE));
    s.set('any', new LObj('type', 'any', '', EMPTY_IFACE));
    s.set('true', new LObj('const', 'true', '', basic('untyped bool')));
    s.set('false', new LObj('const', 'false', '', basic('untyped bool')));
    s.set('iota', new LObj('const', 'iota', '', basic('untyped int')));
    s.set('nil', new LObj('nil', 'nil', '', UNTYPED_NIL));
    for (const b of BUILTINS) s.set(b, new LObj('builtin', b, '', undefined));
  }

  /** The package with this import path, from source when the importer has it, else from the index. */
  package(path: string): PackageView | undefined {
    let p = this.pkgs.get(path);
    if (p === undefined) {
      p = null;
      this.pkgs.set(path, null); // guards import cycles
      if (path === 'unsafe') p = new UnsafePackage();
      else {
        const src = this.importer?.(path);
        if (src) p = new SourcePackage(this, path, src.name, src.files.map((file) => ({ file })));
        else {
          const std = stdlib().package(path);
          if (std) p = new IndexPackage(this, std);
        }
      }
      this.pkgs.set(path, p);
    }
    return p ?? undefined;
  }

  /** Registers the package being checked so that cyclic references (its own tests) resolve. */
  register(p: PackageView): void {
    this.pkgs.set(p.path, p);
  }

  /** Drops a checked package (its trees and type maps); a later import reads it again. */
  forget(path: string): void {
    this.pkgs.delete(path);
  }
}

interface PackageView {
  readonly path: string;
  readonly name: string;
  member(name: string): LObj | undefined;
}

class UnsafePackage implements PackageView {
  readonly path = 'unsafe';
  readonly name = 'unsafe';
  private readonly objs = new Map<string, LObj>();
  constructor() {
    this.objs.set('Pointer', new LObj('type', 'Pointer', 'unsafe', UNSAFE_POINTER));
    for (const f of UNSAFE_FUNCS) this.objs.set(f, new LObj('builtin', 'unsafe.' + f, 'unsafe', undefined));
  }
  member(name: string): LObj | undefined {
    return this.objs.get(name);
  }
}

// ---------------------------------------------------------------------------------------------
// Index (standard library API) packages

class IndexNamed extends Named {
  private under: Type | undefined | null = null;
  constructor(private readonly u: Universe, pkg: string, name: string) {
    super(pkg, name);
  }
  underlying(): Type | undefined {
    if (this.under === null) {
      this.under = undefined;
      const idx = stdlib();
      const m = idx.resolveType(this.pkg, this.name);
      if (m) {
        if (m.typeKind === 'struct') {
          const fields = idx.fieldsOf(m.pkg, m.name) ?? [];
          const conv = new TextConverter(this.u, this.typeArgs);
          this.under = {
            kind: 'struct',
            fields: fields.filter((f) => f.depth === 0).map((f) => ({ name: f.name, type: conv.type(f.type) ?? UNKNOWN_PLACEHOLDER, embedded: f.embedded })),
          };
        } else if (m.typeKind === 'interface') {
          const sets = idx.methodsOf(m.pkg, m.name);
          const conv = new TextConverter(this.u, this.typeArgs);
          this.under = {
            kind: 'interface',
            methods: (sets?.value ?? []).map((mi) => ({ name: mi.name, sig: conv.signature(mi.signature) })),
            embeds: [],
          };
        } else if (m.type) {
          const t = new TextConverter(this.u, this.typeArgs).type(m.type);
          this.under = t && t.kind === 'named' ? (t as Named).underlying() : t;
        }
      }
    }
    return this.under ?? undefined;
  }
  select(name: string, ptr: boolean): Selection | undefined {
    const idx = stdlib();
    const f = idx.lookupField(this.pkg, this.name, name);
    if (f) return { kind: 'field', type: new TextConverter(this.u, this.typeArgs).type(f.type) };
    const mi = idx.lookupMethod(this.pkg, this.name, name, true);
    if (mi) {
      void ptr;
      return {
        kind: 'method',
        fullName: mi.fullName,
        short: name,
        recv: { pkg: mi.origin.pkg, name: mi.origin.name, pointer: mi.origin.pointer },
        sig: new TextConverter(this.u, this.typeArgs).signature(mi.signature),
        iface: mi.isInterface,
      };
    }
    return undefined;
  }
}

/** Converts API-listing type expressions to types. Type parameters become opaque type params (or the given type arguments). */
class TextConverter {
  private readonly tparams = new Map<number, TypeParamType>();
  constructor(private readonly u: Universe, private readonly args: Type[] | null = null) {}

  param(i: number): Type {
    if (this.args && i < this.args.length) return this.args[i]!;
    let tp = this.tparams.get(i);
    if (!tp) {
      tp = { kind: 'typeparam', name: `$${i}`, constraint: undefined };
      this.tparams.set(i, tp);
    }
    return tp;
  }

  type(t: TypeExpr): Type | undefined {
    switch (t.kind) {
      case 'named': {
        if (t.pkg === '') {
          const o = this.u.scope.names.get(t.name);
          return o && o.kind === 'type' ? o.type : undefined;
        }
        if (t.pkg === 'unsafe' && t.name === 'Pointer') return UNSAFE_POINTER;
        const n = indexNamed(this.u, t.pkg, t.name);
        if (t.args.length) {
          const args = t.args.map((a) => this.type(a));
          if (args.some((a) => !a)) return n;
          return instantiate(n, args as Type[]);
        }
        return n;
      }
      case 'typeparam': return this.param(t.index);
      case 'pointer': { const e = this.type(t.elem); return e && { kind: 'pointer', elem: e }; }
      case 'slice': { const e = this.type(t.elem); return e && { kind: 'slice', elem: e }; }
      case 'array': { const e = this.type(t.elem); return e && { kind: 'array', len: t.len, elem: e }; }
      case 'map': {
        const k = this.type(t.key);
        const e = this.type(t.elem);
        return k && e && { kind: 'map', key: k, elem: e };
      }
      case 'chan': { const e = this.type(t.elem); return e && { kind: 'chan', dir: t.dir, elem: e }; }
      case 'func': return this.signature(t.sig);
      case 'struct': return { kind: 'struct', fields: [] };
      case 'interface': return { kind: 'interface', methods: [], embeds: [] };
      case 'union': return undefined;
      case 'untyped': return basic('untyped ' + t.basic);
    }
  }

  /**
   * A constraint whose type set has a single term (`interface{ ~[]E }`, `~map[K]V`) becomes that
   * term's type, the core type inference and indexing need; other constraints become interfaces.
   */
  private constraint(t: TypeExpr): Type | undefined {
    if (t.kind === 'interface' && t.methods.length === 0 && t.embeds.length === 1) return this.constraint(t.embeds[0]!);
    if (t.kind === 'union') return t.terms.length === 1 ? this.type(t.terms[0]!.type) : undefined;
    return this.type(t);
  }

  signature(s: TextSignature): SignatureType {
    for (const tp of s.typeParams ?? []) {
      const x = this.param(tp.index);
      if (x.kind === 'typeparam' && x.constraint === undefined && x !== UNKNOWN_PLACEHOLDER) x.constraint = this.constraint(tp.constraint);
    }
    const p = (t: TypeExpr): Param => ({ name: '', type: this.type(t) ?? UNKNOWN_PLACEHOLDER });
    return { kind: 'signature', params: s.params.map(p), results: s.results.map(p), variadic: s.variadic };
  }
}

/** Stands for an unknown component inside an otherwise known signature. */
const UNKNOWN_PLACEHOLDER: Type = { kind: 'typeparam', name: '?', constraint: undefined };

function isPlaceholder(t: Type | undefined): boolean {
  return t === undefined || t === UNKNOWN_PLACEHOLDER;
}

const indexNamedCache = new WeakMap<Universe, Map<string, IndexNamed>>();
function indexNamed(u: Universe, pkg: string, name: string): Named {
  let m = indexNamedCache.get(u);
  if (!m) {
    m = new Map();
    indexNamedCache.set(u, m);
  }
  // a source package of the same path takes precedence
  const view = u.package(pkg);
  if (view instanceof SourcePackage) {
    const o = view.member(name);
    if (o && o.kind === 'type' && o.type && o.type.kind === 'named') return o.type as Named;
  }
  const key = pkg + '.' + name;
  let n = m.get(key);
  if (!n) {
    n = new IndexNamed(u, pkg, name);
    m.set(key, n);
  }
  return n;
}

/** A named type with type arguments: shares methods and fields with its origin, substituting arguments. */
class Instance extends Named {
  constructor(private readonly orig: Named, args: Type[]) {
    super(orig.pkg, orig.name);
    this.typeArgs = args;
  }
  override origin(): Named {
    return this.orig;
  }
  underlying(): Type | undefined {
    if (this.orig instanceof SourceNamed) return this.orig.underlyingWith(this.typeArgs);
    if (this.orig instanceof IndexNamed) {
      const n = new IndexNamed((this.orig as unknown as { u: Universe }).u, this.orig.pkg, this.orig.name);
      n.typeArgs = this.typeArgs;
      return n.underlying();
    }
    return this.orig.underlying();
  }
  select(name: string, ptr: boolean, depth: number): Selection | undefined {
    if (this.orig instanceof SourceNamed) return this.orig.selectWith(name, ptr, depth, this.typeArgs);
    if (this.orig instanceof IndexNamed) {
      const n = new IndexNamed((this.orig as unknown as { u: Universe }).u, this.orig.pkg, this.orig.name);
      n.typeArgs = this.typeArgs;
      return n.select(name, ptr);
    }
    return this.orig.select(name, ptr, depth);
  }
}

function instantiate(n: Named, args: Type[]): Named {
  return new Instance(n.origin(), args);
}

class IndexPackage implements PackageView {
  readonly path: string;
  readonly name: string;
  private readonly objs = new Map<string, LObj | null>();
  constructor(private readonly u: Universe, private readonly std: StdPackage) {
    this.path = std.path;
    this.name = std.name;
  }
  member(name: string): LObj | undefined {
    let o = this.objs.get(name);
    if (o === undefined) {
      o = null;
      const m = this.std.member(name);
      if (m) {
        const u = this.u;
        switch (m.kind) {
          case 'func':
            o = new LObj('func', name, this.path, () => new TextConverter(u).signature(m.signature));
            break;
          case 'var':
            o = new LObj('var', name, this.path, () => new TextConverter(u).type(m.type));
            o.varKind = 'package';
            break;
          case 'const':
            o = new LObj('const', name, this.path, () => new TextConverter(u).type(m.type));
            break;
          case 'type': {
            if (m.typeKind === 'alias' && m.type) o = new LObj('type', name, this.path, () => new TextConverter(u).type(m.type!));
            else o = new LObj('type', name, this.path, indexNamed(u, this.path, name));
            break;
          }
        }
      }
      this.objs.set(name, o);
    }
    return o ?? undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Source packages

interface FileCtx {
  scope: Scope; // file scope: imports; parent = package scope
}

class SourceNamed extends Named {
  /** Type parameter objects of the declaration, in order. */
  tparams: LObj[] = [];
  methods = new Map<string, ast.FuncDecl>();
  private under: Type | undefined | null = null;
  constructor(
    private readonly p: SourcePackage,
    readonly spec: ast.TypeSpec,
    private readonly scope: Scope,
    name: string,
  ) {
    super(p.path, name);
  }

  underlying(): Type | undefined {
    if (this.under === null) {
      this.under = undefined;
      const t = this.p.typeExpr(this.spec.type, this.scope);
      this.under = t && t.kind === 'named' ? (t as Named).underlying() : t;
    }
    return this.under;
  }

  underlyingWith(args: Type[] | null): Type | undefined {
    const u = this.underlying();
    if (!u || !args || this.tparams.length === 0) return u;
    return substitute(u, this.tparamMap(args));
  }

  tparamMap(args: Type[] | null): Map<Type, Type> {
    const m = new Map<Type, Type>();
    if (args) this.tparams.forEach((tp, i) => { const t = tp.type; if (t && args[i]) m.set(t, args[i]!); });
    return m;
  }

  select(name: string, ptr: boolean, depth: number): Selection | undefined {
    return this.selectWith(name, ptr, depth, null);
  }

  selectWith(name: string, ptr: boolean, depth: number, args: Type[] | null): Selection | undefined {
    if (depth > 8) return undefined;
    const fd = this.methods.get(name);
    if (fd) {
      const recvT = fd.recv?.list?.[0]?.type;
      const pointer = !!recvT && unparen(recvT).kind === 'StarExpr';
      let s = this.p.funcSignature(fd);
      if (s && args && this.tparams.length) s = substitute(s, this.recvTparamMap(fd, args)) as SignatureType;
      return {
        kind: 'method',
        fullName: `(${pointer ? '*' : ''}${this.pkg}.${this.name}).${name}`,
        short: name,
        recv: { pkg: this.pkg, name: this.name, pointer },
        sig: s,
        iface: false,
        decl: fd,
      };
    }
    const u = this.underlyingWith(args);
    if (!u) return undefined;
    if (u.kind === 'interface') return selectInterface(u, name, this, depth);
    if (u.kind === 'struct') return selectStruct(u, name, ptr, depth);
    return undefined;
  }

  /** Receiver type parameters are named per method (`func (s *Stack[E]) Push(v E)`). */
  private recvTparamMap(fd: ast.FuncDecl, args: Type[]): Map<Type, Type> {
    const m = new Map<Type, Type>();
    const objs = this.p.recvTparams.get(fd);
    if (objs) objs.forEach((o, i) => { const t = o.type; if (t && args[i]) m.set(t, args[i]!); });
    return m;
  }
}

/** Interface method lookup, naming the declaring interface. */
function selectInterface(u: Type, name: string, owner: Named | null, depth: number): Selection | undefined {
  if (u.kind !== 'interface' || depth > 8) return undefined;
  const own = (u as { ownMethods?: InterfaceMethod[] }).ownMethods ?? u.methods;
  for (const m of own) {
    if (m.name === name) {
      if (!owner) return { kind: 'method', fullName: `(interface).${name}`, short: name, recv: { pkg: '', name: 'interface', pointer: false }, sig: m.sig, iface: true };
      return {
        kind: 'method',
        fullName: owner.pkg ? `(${owner.pkg}.${owner.name}).${name}` : `(${owner.name}).${name}`,
        short: name,
        recv: { pkg: owner.pkg, name: owner.name, pointer: false },
        sig: m.sig,
        iface: true,
      };
    }
  }
  for (const e of u.embeds) {
    if (e.kind === 'named') {
      const s = (e as Named).select(name, false, depth + 1);
      if (s) return s;
    } else if (e.kind === 'interface') {
      const s = selectInterface(e, name, owner, depth + 1);
      if (s) return s;
    }
  }
  return undefined;
}

function selectStruct(u: Type, name: string, ptr: boolean, depth: number): Selection | undefined {
  if (u.kind !== 'struct' || depth > 8) return undefined;
  for (const f of u.fields) if (f.name === name) return { kind: 'field', type: f.type };
  for (const f of u.fields) {
    if (!f.embedded) continue;
    let t = f.type;
    if (t.kind === 'pointer') t = t.elem;
    if (t.kind === 'named') {
      const s = (t as Named).select(name, ptr, depth + 1);
      if (s) return s;
    }
  }
  return undefined;
}

/** Replaces type parameters by their arguments. */
function substitute(t: Type, m: Map<Type, Type>): Type {
  if (m.size === 0) return t;
  const s = (x: Type): Type => {
    const r = m.get(x);
    if (r) return r;
    switch (x.kind) {
      case 'pointer': return { kind: 'pointer', elem: s(x.elem) };
      case 'slice': return { kind: 'slice', elem: s(x.elem) };
      case 'array': return { kind: 'array', len: x.len, elem: s(x.elem) };
      case 'map': return { kind: 'map', key: s(x.key), elem: s(x.elem) };
      case 'chan': return { kind: 'chan', dir: x.dir, elem: s(x.elem) };
      case 'signature':
        return {
          kind: 'signature',
          params: x.params.map((p) => ({ name: p.name, type: s(p.type) })),
          results: x.results.map((p) => ({ name: p.name, type: s(p.type) })),
          variadic: x.variadic,
        };
      case 'tuple': return { kind: 'tuple', types: x.types.map(s) };
      case 'struct': return { kind: 'struct', fields: x.fields.map((f) => ({ name: f.name, type: s(f.type), embedded: f.embedded })) };
      case 'named':
        if (x.typeArgs && x.typeArgs.length) return instantiate(x as Named, x.typeArgs.map(s));
        return x;
      default: return x;
    }
  };
  return s(t);
}

class SourcePackage implements PackageView {
  readonly scope: Scope;
  readonly files: CheckFile[];
  readonly fileCtx = new Map<ast.File, FileCtx>();
  /** Receiver type parameter objects per method declaration. */
  readonly recvTparams = new Map<ast.FuncDecl, LObj[]>();
  private readonly sigCache = new Map<ast.FuncDecl, SignatureType | undefined>();
  /** Per-declaration scope for generic functions (type parameters). */
  readonly declScope = new Map<ast.FuncDecl, Scope>();
  /** Object recording for the analysed package (uses and defs); null for imported packages. */
  record: ((id: ast.Ident, o: LObj) => void) | null = null;

  constructor(readonly u: Universe, readonly path: string, readonly name: string, files: CheckFile[]) {
    this.files = files;
    this.scope = newScope(u.scope);
    for (const f of files) this.declareFile(f.file);
    for (const f of files) this.collectMethods(f.file);
  }

  member(name: string): LObj | undefined {
    return this.scope.names.get(name);
  }

  private declare(id: ast.Ident, o: LObj): void {
    o.decl = id;
    if (id.name !== '_' && !this.scope.names.has(id.name)) this.scope.names.set(id.name, o);
    this.record?.(id, o);
  }

  private declareFile(file: ast.File): void {
    const fscope = newScope(this.scope);
    this.fileCtx.set(file, { scope: fscope });
    for (const d of file.decls ?? []) {
      if (d.kind === 'FuncDecl') {
        if (d.recv) continue;
        if (d.name.name === 'init' || d.name.name === '_') {
          this.record?.(d.name, new LObj('func', d.name.name, this.path, undefined));
          continue;
        }
        const o = new LObj('func', d.name.name, this.path, () => this.funcSignature(d));
        o.funcDecl = d;
        this.declare(d.name, o);
      } else if (d.kind === 'GenDecl') {
        if (d.tok === 'import') {
          for (const s of d.specs ?? []) {
            if (s.kind !== 'ImportSpec') continue;
            const path = importPath(s.path.value);
            if (path === undefined) continue;
            const name = s.name?.name;
            if (name === '_') continue;
            if (name === '.') {
              const view = this.u.package(path);
              if (view instanceof SourcePackage) {
                for (const [k, v] of view.scope.names) if (isExported(k)) fscope.names.set(k, v);
              } else if (view) {
                const dotted = fscope as Scope & { dot?: PackageView[] };
                (dotted.dot ??= []).push(view);
              }
              continue;
            }
            const view = this.u.package(path);
            const local = name ?? view?.name ?? guessPackageName(path);
            const o = new LObj('pkgname', local, this.path, undefined);
            o.imported = path;
            if (s.name) {
              o.decl = s.name;
              this.record?.(s.name, o);
            }
            fscope.names.set(local, o);
          }
          continue;
        }
        this.declareGen(d, fscope, true);
      }
    }
  }

  /** Declares the specs of a const/var/type declaration in scope (package level when pkgLevel). */
  declareGen(d: ast.GenDecl, scope: Scope, pkgLevel: boolean, local?: LocalResolver): void {
    const target = pkgLevel ? this.scope : scope;
    const put = (id: ast.Ident, o: LObj) => {
      o.decl = id;
      if (id.name !== '_' && (!pkgLevel || !target.names.has(id.name))) target.names.set(id.name, o);
      this.record?.(id, o);
    };
    if (d.tok === 'type') {
      for (const s of d.specs ?? []) {
        if (s.kind !== 'TypeSpec') continue;
        if (s.assign !== -1 && !s.typeParams) {
          // alias
          const o = new LObj('type', s.name.name, this.path, () => this.typeExpr(s.type, scope));
          if (local) local.walkTypeExpr(s.type);
          put(s.name, o);
          continue;
        }
        const tscope = s.typeParams ? newScope(scope) : scope;
        const n = new SourceNamed(this, s, tscope, s.name.name);
        if (s.typeParams) n.tparams = this.declareTparams(s.typeParams, tscope);
        put(s.name, new LObj('type', s.name.name, this.path, n));
        if (local) local.walkTypeExpr(s.type, tscope);
      }
      return;
    }
    // const and var
    let lastConst: ast.ValueSpec | null = null;
    for (const s of d.specs ?? []) {
      if (s.kind !== 'ValueSpec') continue;
      let spec = s;
      if (d.tok === 'const' && !s.type && !s.values) spec = lastConst ?? s; // implicit repetition
      else if (d.tok === 'const') lastConst = s;
      if (local) {
        if (s.type) local.walkTypeExpr(s.type);
        for (const v of s.values ?? []) local.walkExpr(v);
      }
      // a local variable's scope starts after its spec: `var lines lines` names the type
      const early = !pkgLevel && spec.type ? this.typeExpr(spec.type, scope) : undefined;
      s.names.forEach((id, i) => {
        const kind: ObjKind = d.tok === 'const' ? 'const' : 'var';
        const o = new LObj(kind, id.name, this.path, early ? early : () => this.valueSpecType(spec, i, scope));
        if (kind === 'var') o.varKind = pkgLevel ? 'package' : 'local';
        put(id, o);
      });
    }
  }

  private valueSpecType(s: ast.ValueSpec, i: number, scope: Scope): Type | undefined {
    if (s.type) return this.typeExpr(s.type, scope);
    const vals = s.values ?? [];
    const info = this.checker();
    const typeOf = (e: ast.Expr) => {
      this.resolveOnce(e, scope);
      return info.typeOf(e);
    };
    if (vals.length === s.names.length) return defaultType(typeOf(vals[i]!));
    if (vals.length === 1) {
      const t = typeOf(vals[0]!);
      if (t && t.kind === 'tuple') return t.types[i];
      if (i === 1 && commaOk(vals[0]!)) return BOOL;
      if (i === 0) return t;
    }
    return undefined;
  }

  /**
   * The expression checker of this package. The analysed package sets it up front; an imported
   * package gets one on first use, for the initialisers of its package-level variables.
   */
  checker(): Checker {
    if (!this.info) this.info = new Checker(this);
    return this.info;
  }

  private readonly resolved = new WeakSet<ast.Expr>();

  /** Resolves the identifiers of an initialiser of an imported package (the analysed package's are resolved file by file). */
  private resolveOnce(e: ast.Expr, scope: Scope): void {
    if (this.record || this.resolved.has(e)) return;
    this.resolved.add(e);
    new LocalResolver(this.checker(), scope).walkExpr(e);
  }


  declareTparams(fl: ast.FieldList, scope: Scope): LObj[] {
    const out: LObj[] = [];
    for (const f of fl.list ?? []) {
      for (const id of f.names ?? []) {
        const tp: TypeParamType = { kind: 'typeparam', name: id.name, constraint: undefined };
        const o = new LObj('type', id.name, this.path, tp);
        o.decl = id;
        scope.names.set(id.name, o);
        this.record?.(id, o);
        out.push(o);
      }
    }
    for (const f of fl.list ?? []) {
      const c = f.type ? this.typeExpr(f.type, scope) : undefined;
      for (const id of f.names ?? []) {
        const o = scope.names.get(id.name);
        const t = o?.type;
        if (t && t.kind === 'typeparam') t.constraint = c;
      }
    }
    return out;
  }

  private collectMethods(file: ast.File): void {
    const fscope = this.fileCtx.get(file)!.scope;
    for (const d of file.decls ?? []) {
      if (d.kind !== 'FuncDecl' || !d.recv) continue;
      const rt = d.recv.list?.[0]?.type;
      if (!rt) continue;
      let base = unparen(rt);
      if (base.kind === 'StarExpr') base = unparen(base.x);
      let targs: ast.Expr[] = [];
      if (base.kind === 'IndexExpr') { targs = [base.index]; base = base.x; }
      else if (base.kind === 'IndexListExpr') { targs = base.indices ?? []; base = base.x; }
      if (base.kind !== 'Ident') continue;
      const o = this.scope.names.get(base.name);
      const t = o?.kind === 'type' ? o.type : undefined;
      // receiver type parameters get their own scope per method
      const mscope = newScope(fscope);
      const objs: LObj[] = [];
      for (const a of targs) {
        if (a.kind === 'Ident') {
          const tp: TypeParamType = { kind: 'typeparam', name: a.name, constraint: undefined };
          const to = new LObj('type', a.name, this.path, tp);
          to.decl = a;
          if (a.name !== '_') mscope.names.set(a.name, to);
          this.record?.(a, to);
          objs.push(to);
        }
      }
      // A receiver type parameter has the constraint of the type's own parameter at its position
      // (`func (b *Box[M]) ...` with `type Box[M sync.Locker]`): methods called on its values resolve.
      if (t instanceof SourceNamed) {
        objs.forEach((ro, i) => {
          const own = t.tparams[i]?.type;
          const rt = ro.type;
          if (own?.kind === 'typeparam' && rt?.kind === 'typeparam') {
            Object.defineProperty(rt, 'constraint', { get: () => own.constraint, enumerable: true, configurable: true });
          }
        });
      }
      this.recvTparams.set(d, objs);
      this.declScope.set(d, mscope);
      if (this.record && base.kind === 'Ident' && o) this.record(base, o);
      if (t instanceof SourceNamed && d.name.name !== '_') {
        if (!t.methods.has(d.name.name)) t.methods.set(d.name.name, d);
      }
    }
  }

  /** The scope in which a function declaration's signature is resolved. */
  funcScope(fd: ast.FuncDecl): Scope {
    let s = this.declScope.get(fd);
    if (!s) {
      const file = this.fileOf(fd);
      s = newScope(file ? this.fileCtx.get(file)!.scope : this.scope);
      if (fd.type.typeParams) this.declareTparams(fd.type.typeParams, s);
      this.declScope.set(fd, s);
    }
    return s;
  }

  private fileOfCache = new Map<ast.Node, ast.File>();
  fileOf(d: ast.Decl): ast.File | undefined {
    if (this.fileOfCache.size === 0) {
      for (const f of this.files) for (const x of f.file.decls ?? []) this.fileOfCache.set(x, f.file);
    }
    return this.fileOfCache.get(d);
  }

  funcSignature(fd: ast.FuncDecl): SignatureType | undefined {
    if (this.sigCache.has(fd)) return this.sigCache.get(fd);
    this.sigCache.set(fd, undefined);
    const s = this.signature(fd.type, this.funcScope(fd));
    this.sigCache.set(fd, s);
    return s;
  }

  signature(ft: ast.FuncType, scope: Scope): SignatureType | undefined {
    const params: Param[] = [];
    let variadic = false;
    for (const f of ft.params.list ?? []) {
      let te = f.type;
      if (te && te.kind === 'Ellipsis') {
        variadic = true;
        const e = te.elt ? this.typeExpr(te.elt, scope) : undefined;
        const t: Type = e ? { kind: 'slice', elem: e } : UNKNOWN_PLACEHOLDER;
        const n = f.names?.length ? f.names.length : 1;
        for (let i = 0; i < n; i++) params.push({ name: f.names?.[i]?.name ?? '', type: t });
        continue;
      }
      const t = (te && this.typeExpr(te, scope)) ?? UNKNOWN_PLACEHOLDER;
      const n = f.names?.length ? f.names.length : 1;
      for (let i = 0; i < n; i++) params.push({ name: f.names?.[i]?.name ?? '', type: t });
    }
    const results: Param[] = [];
    for (const f of ft.results?.list ?? []) {
      const t = (f.type && this.typeExpr(f.type, scope)) ?? UNKNOWN_PLACEHOLDER;
      const n = f.names?.length ? f.names.length : 1;
      for (let i = 0; i < n; i++) results.push({ name: f.names?.[i]?.name ?? '', type: t });
    }
    return { kind: 'signature', params, results, variadic };
  }

  /** The type a type expression denotes in scope. */
  typeExpr(e: ast.Expr, scope: Scope, depth = 0): Type | undefined {
    if (depth > 50) return undefined;
    switch (e.kind) {
      case 'Ident': {
        const o = lookupScope(scope, e.name);
        if (o && o.kind === 'type') return o.type;
        return undefined;
      }
      case 'SelectorExpr': {
        if (e.x.kind === 'Ident') {
          const o = lookupScope(scope, e.x.name);
          if (o && o.kind === 'pkgname' && o.imported) {
            if (o.imported === 'C') return cgoType(e.sel.name);
            const m = this.u.package(o.imported)?.member(e.sel.name);
            if (m && m.kind === 'type') return m.type;
          }
        }
        return undefined;
      }
      case 'ParenExpr': return this.typeExpr(e.x, scope, depth + 1);
      case 'StarExpr': {
        const t = this.typeExpr(e.x, scope, depth + 1);
        return t && { kind: 'pointer', elem: t };
      }
      case 'ArrayType': {
        const elt = this.typeExpr(e.elt, scope, depth + 1);
        if (!elt) return undefined;
        if (!e.len) return { kind: 'slice', elem: elt };
        return { kind: 'array', len: e.len.kind === 'BasicLit' && e.len.tokKind === 'INT' ? parseIntLit(e.len.value) : null, elem: elt };
      }
      case 'MapType': {
        const k = this.typeExpr(e.key, scope, depth + 1);
        const v = this.typeExpr(e.value, scope, depth + 1);
        return k && v && { kind: 'map', key: k, elem: v };
      }
      case 'ChanType': {
        const v = this.typeExpr(e.value, scope, depth + 1);
        const dir: ChanDir = e.dir === 3 ? 'both' : e.dir === 1 ? 'send' : 'recv';
        return v && { kind: 'chan', dir, elem: v };
      }
      case 'FuncType': return this.signature(e, scope);
      case 'StructType': {
        const fields: StructField[] = [];
        for (const f of e.fields.list ?? []) {
          const t = (f.type && this.typeExpr(f.type, scope, depth + 1)) ?? UNKNOWN_PLACEHOLDER;
          if (f.names && f.names.length) for (const n of f.names) fields.push({ name: n.name, type: t, embedded: false });
          else fields.push({ name: embeddedName(f.type), type: t, embedded: true });
        }
        return { kind: 'struct', fields };
      }
      case 'InterfaceType': {
        const methods: InterfaceMethod[] = [];
        const embeds: Type[] = [];
        for (const f of e.methods.list ?? []) {
          if (f.names && f.names.length && f.type && f.type.kind === 'FuncType') {
            const s = this.signature(f.type, scope);
            if (s) for (const n of f.names) methods.push({ name: n.name, sig: s });
          } else if (f.type) {
            const t = this.typeExpr(f.type, scope, depth + 1);
            if (t) embeds.push(t);
          }
        }
        const it = { kind: 'interface' as const, methods, embeds, ownMethods: methods };
        return it;
      }
      case 'IndexExpr':
      case 'IndexListExpr': {
        const base = this.typeExpr(e.x, scope, depth + 1);
        if (!base || base.kind !== 'named') return base;
        const argExprs = e.kind === 'IndexExpr' ? [e.index] : e.indices ?? [];
        const args = argExprs.map((a) => this.typeExpr(a, scope, depth + 1));
        if (args.some((a) => !a)) return base;
        return instantiate(base as Named, args as Type[]);
      }
      case 'Ellipsis': {
        const t = e.elt ? this.typeExpr(e.elt, scope, depth + 1) : undefined;
        return t && { kind: 'slice', elem: t };
      }
      case 'UnaryExpr':
        // `~T` in a constraint: the type set of T's underlying type, whose core type is T's.
        return e.op === '~' ? this.typeExpr(e.x, scope, depth + 1) : undefined;
      case 'BinaryExpr':
        return undefined; // unions of constraint terms: no single core type
    }
    return undefined;
  }

  /** Set by the analysed package's checker so value specs can use expression types. */
  info: Checker | null = null;
}

function embeddedName(t: ast.Expr | null): string {
  if (!t) return '';
  let x = unparen(t);
  if (x.kind === 'StarExpr') x = unparen(x.x);
  if (x.kind === 'IndexExpr' || x.kind === 'IndexListExpr') x = x.x;
  if (x.kind === 'SelectorExpr') return x.sel.name;
  if (x.kind === 'Ident') return x.name;
  return '';
}

function parseIntLit(v: string): number | null {
  const n = Number(v.replace(/_/g, '').replace(/^0([0-7]+)$/, '0o$1'));
  return Number.isFinite(n) ? n : null;
}

function importPath(lit: string): string | undefined {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  try {
    return JSON.parse(lit) as string;
  } catch {
    return undefined;
  }
}

function guessPackageName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1]!;
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  last = last.replace(/^go-/, '').replace(/[.-]go$/, '');
  return last.replace(/[^A-Za-z0-9_]/g, '_');
}

function isExported(name: string): boolean {
  const c = name.charCodeAt(0);
  return (c >= 0x41 && c <= 0x5a) || (c > 0x7f && name[0] !== name[0]!.toLowerCase());
}

function commaOk(e: ast.Expr): boolean {
  const x = unparen(e);
  return x.kind === 'IndexExpr' || x.kind === 'TypeAssertExpr' || (x.kind === 'UnaryExpr' && x.op === '<-');
}

export function defaultType(t: Type | undefined): Type | undefined {
  if (!t || t.kind !== 'basic' || !t.name.startsWith('untyped ')) return t;
  switch (t.name) {
    case 'untyped bool': return BOOL;
    case 'untyped int': return INT;
    case 'untyped rune': return INT32;
    case 'untyped float': return FLOAT64;
    case 'untyped complex': return COMPLEX128;
    case 'untyped string': return STRING;
  }
  return t;
}

/** The underlying type (following named types). */
export function under(t: Type | undefined): Type | undefined {
  for (let i = 0; t && t.kind === 'named' && i < 20; i++) t = t.underlying();
  return t && t.kind === 'named' ? undefined : t;
}

/** For a type parameter, its core type from the constraint when it has exactly one type term. */
function coreType(t: Type | undefined): Type | undefined {
  const u = under(t);
  if (u && u.kind === 'typeparam') {
    const c = under(u.constraint);
    if (c && c.kind === 'interface' && c.embeds.length === 1) return under(c.embeds[0]);
    // An implicit interface (`[S ~[]E]`, `[M ~map[K]V]`): the constraint is the core type.
    if (c && c.kind !== 'interface' && c.kind !== 'typeparam') return c;
  }
  return u;
}

// ---------------------------------------------------------------------------------------------
// Local resolution (function bodies) and expression typing for the analysed package

class LocalResolver {
  constructor(private readonly c: Checker, private scope: Scope) {}

  private push(): void {
    this.scope = newScope(this.scope);
  }
  private pop(): void {
    this.scope = this.scope.parent!;
  }

  private declareVar(id: ast.Ident, thunk: () => Type | undefined, varKind: Obj['varKind'] = 'local'): LObj {
    const o = new LObj('var', id.name, this.c.path, thunk);
    o.decl = id;
    o.varKind = varKind;
    if (id.name !== '_') this.scope.names.set(id.name, o);
    this.c.defs.set(id, o);
    return o;
  }

  use(id: ast.Ident): void {
    const o = lookupScope(this.scope, id.name);
    if (o) this.c.uses.set(id, o);
    else {
      const dot = this.c.dotLookup(this.scope, id.name);
      if (dot) this.c.uses.set(id, dot);
    }
  }

  funcBody(ft: ast.FuncType, body: ast.BlockStmt | null, recv: ast.FieldList | null, declScope?: Scope): void {
    const saved = this.scope;
    this.scope = newScope(declScope ?? this.scope);
    if (!declScope && ft.typeParams) this.c.pkg.declareTparams(ft.typeParams, this.scope);
    const sigScope = this.scope;
    const params = (fl: ast.FieldList | null, kind: Obj['varKind']) => {
      for (const f of fl?.list ?? []) {
        if (f.type) this.walkTypeExpr(f.type);
        const te = f.type;
        for (const id of f.names ?? []) {
          this.declareVar(id, () => {
            if (!te) return undefined;
            if (te.kind === 'Ellipsis') {
              const e = te.elt ? this.c.pkg.typeExpr(te.elt, sigScope) : undefined;
              return e && { kind: 'slice', elem: e };
            }
            return this.c.pkg.typeExpr(te, sigScope);
          }, kind);
        }
      }
    };
    if (recv) {
      // receiver type parameters are already in declScope; resolve the receiver's type ident
      for (const f of recv.list ?? []) {
        const te = f.type;
        for (const id of f.names ?? []) this.declareVar(id, () => (te ? this.c.pkg.typeExpr(recvTypeExpr(te), sigScope) : undefined), 'recv');
      }
    }
    params(ft.params, 'param');
    params(ft.results, 'result');
    // The body's top level shares the block of the parameters and results (a `:=` there reuses a named result).
    if (body) for (const st of body.list ?? []) this.stmt(st);
    this.scope = saved;
  }

  private block(list: ast.Stmt[] | null): void {
    this.push();
    for (const s of list ?? []) this.stmt(s);
    this.pop();
  }

  private stmt(s: ast.Stmt): void {
    switch (s.kind) {
      case 'DeclStmt':
        if (s.decl.kind === 'GenDecl') this.c.pkg.declareGen(s.decl, this.scope, false, this);
        return;
      case 'LabeledStmt': this.stmt(s.stmt); return;
      case 'ExprStmt': this.walkExpr(s.x); return;
      case 'SendStmt': this.walkExpr(s.chan); this.walkExpr(s.value); return;
      case 'IncDecStmt': this.walkExpr(s.x); return;
      case 'AssignStmt': this.assign(s); return;
      case 'GoStmt': this.walkExpr(s.call); return;
      case 'DeferStmt': this.walkExpr(s.call); return;
      case 'ReturnStmt': for (const r of s.results ?? []) this.walkExpr(r); return;
      case 'BranchStmt': return;
      case 'BlockStmt': this.block(s.list); return;
      case 'IfStmt':
        this.push();
        if (s.init) this.stmt(s.init);
        this.walkExpr(s.cond);
        this.block(s.body.list);
        if (s.else) this.stmt(s.else);
        this.pop();
        return;
      case 'SwitchStmt':
        this.push();
        if (s.init) this.stmt(s.init);
        if (s.tag) this.walkExpr(s.tag);
        for (const cc of s.body.list ?? []) {
          if (cc.kind !== 'CaseClause') continue;
          for (const e of cc.list ?? []) this.walkExpr(e);
          this.block(cc.body);
        }
        this.pop();
        return;
      case 'TypeSwitchStmt': {
        this.push();
        if (s.init) this.stmt(s.init);
        let bind: ast.Ident | null = null;
        let x: ast.Expr | null = null;
        if (s.assign.kind === 'AssignStmt') {
          const lhs = s.assign.lhs[0];
          if (lhs && lhs.kind === 'Ident') bind = lhs;
          const r = s.assign.rhs[0];
          if (r && r.kind === 'TypeAssertExpr') x = r.x;
        } else if (s.assign.kind === 'ExprStmt' && s.assign.x.kind === 'TypeAssertExpr') {
          x = s.assign.x.x;
        }
        if (x) this.walkExpr(x);
        const xx = x;
        for (const cc of s.body.list ?? []) {
          if (cc.kind !== 'CaseClause') continue;
          for (const e of cc.list ?? []) this.walkTypeExpr(e);
          this.push();
          if (bind) {
            const list = cc.list ?? [];
            const scope = this.scope;
            const o = new LObj('var', bind.name, this.c.path, () => {
              if (list.length === 1 && !(list[0]!.kind === 'Ident' && list[0]!.name === 'nil')) return this.c.pkg.typeExpr(list[0]!, scope);
              return xx ? this.c.typeOf(xx) : undefined;
            });
            o.decl = bind;
            o.varKind = 'local';
            if (bind.name !== '_') this.scope.names.set(bind.name, o);
            this.c.implicits.set(cc, o);
            if (!this.c.defs.has(bind)) this.c.defs.set(bind, o);
          }
          for (const st of cc.body ?? []) this.stmt(st);
          this.pop();
        }
        this.pop();
        return;
      }
      case 'SelectStmt':
        for (const cc of s.body.list ?? []) {
          if (cc.kind !== 'CommClause') continue;
          this.push();
          if (cc.comm) this.stmt(cc.comm);
          for (const st of cc.body ?? []) this.stmt(st);
          this.pop();
        }
        return;
      case 'ForStmt':
        this.push();
        if (s.init) this.stmt(s.init);
        if (s.cond) this.walkExpr(s.cond);
        if (s.post) this.stmt(s.post);
        this.block(s.body.list);
        this.pop();
        return;
      case 'RangeStmt': {
        this.walkExpr(s.x);
        this.push();
        const x = s.x;
        if (s.tok === ':=') {
          if (s.key && s.key.kind === 'Ident') this.declareVar(s.key, () => rangeTypes(this.c.typeOf(x))[0]);
          if (s.value && s.value.kind === 'Ident') this.declareVar(s.value, () => rangeTypes(this.c.typeOf(x))[1]);
        } else {
          if (s.key) this.walkExpr(s.key);
          if (s.value) this.walkExpr(s.value);
        }
        this.block(s.body.list);
        this.pop();
        return;
      }
      case 'CaseClause':
      case 'CommClause':
      case 'EmptyStmt':
      case 'BadStmt':
        return;
    }
  }

  private assign(s: ast.AssignStmt): void {
    for (const r of s.rhs) this.walkExpr(r);
    if (s.tok !== ':=') {
      for (const l of s.lhs) this.walkExpr(l);
      return;
    }
    const rhs = s.rhs;
    s.lhs.forEach((l, i) => {
      if (l.kind !== 'Ident') {
        this.walkExpr(l);
        return;
      }
      const existing = this.scope.names.get(l.name);
      if (existing && l.name !== '_') {
        this.c.uses.set(l, existing); // redeclaration in the same scope assigns
        return;
      }
      this.declareVar(l, () => {
        if (rhs.length === s.lhs.length) return defaultType(this.c.typeOf(rhs[i]!));
        if (rhs.length === 1) {
          const t = this.c.typeOf(rhs[0]!);
          if (t && t.kind === 'tuple') return t.types[i];
          if (i === 1 && commaOk(rhs[0]!)) return BOOL;
          if (i === 0) return defaultType(t);
        }
        return undefined;
      });
    });
  }

  walkTypeExpr(e: ast.Expr, scope?: Scope): void {
    const saved = this.scope;
    if (scope) this.scope = scope;
    this.walkExpr(e);
    this.scope = saved;
  }

  walkExpr(e: ast.Expr): void {
    switch (e.kind) {
      case 'Ident': this.use(e); return;
      case 'BasicLit': case 'BadExpr': return;
      case 'FuncLit': this.funcBody(e.type, e.body, null); return;
      case 'CompositeLit': {
        if (e.type) this.walkExpr(e.type);
        // keys of struct literals are field names, not variables
        let isStruct: boolean | undefined;
        for (const el of e.elts ?? []) {
          if (el.kind === 'KeyValueExpr') {
            if (el.key.kind === 'Ident') {
              if (isStruct === undefined) isStruct = this.c.compositeIsStruct(e);
              if (!isStruct) this.use(el.key);
            } else {
              this.walkExpr(el.key);
            }
            this.walkExpr(el.value);
          } else {
            this.walkExpr(el);
          }
        }
        return;
      }
      case 'ParenExpr': this.walkExpr(e.x); return;
      case 'SelectorExpr': this.walkExpr(e.x); return;
      case 'IndexExpr': this.walkExpr(e.x); this.walkExpr(e.index); return;
      case 'IndexListExpr': this.walkExpr(e.x); for (const i of e.indices ?? []) this.walkExpr(i); return;
      case 'SliceExpr': this.walkExpr(e.x); if (e.low) this.walkExpr(e.low); if (e.high) this.walkExpr(e.high); if (e.max) this.walkExpr(e.max); return;
      case 'TypeAssertExpr': this.walkExpr(e.x); if (e.type) this.walkExpr(e.type); return;
      case 'CallExpr': this.walkExpr(e.fun); for (const a of e.args ?? []) this.walkExpr(a); return;
      case 'StarExpr': this.walkExpr(e.x); return;
      case 'UnaryExpr': this.walkExpr(e.x); return;
      case 'BinaryExpr': this.walkExpr(e.x); this.walkExpr(e.y); return;
      case 'KeyValueExpr': this.walkExpr(e.key); this.walkExpr(e.value); return;
      case 'ArrayType': if (e.len) this.walkExpr(e.len); this.walkExpr(e.elt); return;
      case 'StructType':
        for (const f of e.fields.list ?? []) if (f.type) this.walkExpr(f.type);
        return;
      case 'FuncType':
        for (const f of e.typeParams?.list ?? []) if (f.type) this.walkExpr(f.type);
        for (const f of e.params.list ?? []) if (f.type) this.walkExpr(f.type);
        for (const f of e.results?.list ?? []) if (f.type) this.walkExpr(f.type);
        return;
      case 'InterfaceType':
        for (const f of e.methods.list ?? []) if (f.type) this.walkExpr(f.type);
        return;
      case 'MapType': this.walkExpr(e.key); this.walkExpr(e.value); return;
      case 'ChanType': this.walkExpr(e.value); return;
      case 'Ellipsis': if (e.elt) this.walkExpr(e.elt); return;
    }
  }
}

function recvTypeExpr(te: ast.Expr): ast.Expr {
  // (*T[E]) → *T ... keep instantiation so the receiver gets the generic instance
  return te;
}

/** Key and value types of a range clause over a value of type t. */
function rangeTypes(t: Type | undefined): [Type | undefined, Type | undefined] {
  const u = coreType(t);
  if (!u) return [undefined, undefined];
  switch (u.kind) {
    case 'basic':
      if (u.name === 'string' || u.name === 'untyped string') return [INT, INT32];
      if (u.name.startsWith('untyped')) return [INT, undefined];
      return [t && t.kind === 'named' ? t : u, undefined];
    case 'slice': return [INT, u.elem];
    case 'array': return [INT, u.elem];
    case 'pointer': {
      const e = under(u.elem);
      if (e && e.kind === 'array') return [INT, e.elem];
      return [undefined, undefined];
    }
    case 'map': return [u.key, u.elem];
    case 'chan': return [u.elem, undefined];
    case 'signature': {
      // func(yield func(K, V) bool)
      const y = u.params[0] ? under(u.params[0].type) : undefined;
      if (y && y.kind === 'signature') return [y.params[0]?.type, y.params[1]?.type];
      return [undefined, undefined];
    }
  }
  return [undefined, undefined];
}

class Checker implements TypeInfo {
  readonly uses = new Map<ast.Ident, LObj>();
  readonly defs = new Map<ast.Ident, LObj>();
  /** Implicit objects of type switch clauses. */
  readonly implicits = new Map<ast.CaseClause, LObj>();
  private readonly types = new Map<ast.Expr, Type | null>();
  private readonly callees = new Map<ast.CallExpr, Callee | null>();
  readonly pkg: SourcePackage;
  readonly path: string;

  constructor(pkg: SourcePackage) {
    this.pkg = pkg;
    this.path = pkg.path;
  }

  dotLookup(scope: Scope | null, name: string): LObj | undefined {
    for (let s = scope; s; s = s.parent) {
      const dots = (s as Scope & { dot?: PackageView[] }).dot;
      if (dots) for (const d of dots) {
        const o = d.member(name);
        if (o) return o;
      }
    }
    return undefined;
  }

  objectOf(id: ast.Ident): Obj | undefined {
    return this.defs.get(id) ?? this.uses.get(id) ?? this.selObjs.get(id);
  }

  private readonly selObjs = new Map<ast.Ident, LObj>();

  isType(e: ast.Expr): boolean {
    const x = unparen(e);
    switch (x.kind) {
      case 'Ident': return this.objectOf(x)?.kind === 'type';
      case 'SelectorExpr': {
        const p = this.pkgOf(x.x);
        if (p) return p.member(x.sel.name)?.kind === 'type';
        return false;
      }
      case 'ArrayType': case 'StructType': case 'FuncType': case 'InterfaceType': case 'MapType': case 'ChanType':
        return true;
      case 'StarExpr': return this.isType(x.x);
      case 'IndexExpr': case 'IndexListExpr': return this.isType(x.x);
    }
    return false;
  }

  /** If e names an imported package, that package. */
  pkgOf(e: ast.Expr): PackageView | undefined {
    if (e.kind !== 'Ident') return undefined;
    const o = this.uses.get(e);
    if (o && o.kind === 'pkgname' && o.imported) return this.pkg.u.package(o.imported);
    return undefined;
  }

  compositeIsStruct(e: ast.CompositeLit): boolean {
    const t = e.type ? this.typeOf(e.type) : undefined;
    if (!t) return e.type !== null; // unknown named literal: field keys are the common case
    const u = under(t);
    return !!u && u.kind === 'struct';
  }

  typeOf(e: ast.Expr): Type | undefined {
    const c = this.types.get(e);
    if (c !== undefined) return c ?? undefined;
    this.types.set(e, null); // cycle guard
    let t: Type | undefined;
    try {
      t = this.compute(e);
    } catch {
      t = undefined;
    }
    if (t && isPlaceholder(t)) t = undefined;
    this.types.set(e, t ?? null);
    return t;
  }

  private compute(e: ast.Expr): Type | undefined {
    switch (e.kind) {
      case 'Ident': {
        const o = this.objectOf(e);
        if (!o) return undefined;
        if (o.kind === 'pkgname' || o.kind === 'builtin') return undefined;
        return o.type;
      }
      case 'BasicLit':
        switch (e.tokKind) {
          case 'INT': return basic('untyped int');
          case 'FLOAT': return basic('untyped float');
          case 'IMAG': return basic('untyped complex');
          case 'CHAR': return basic('untyped rune');
          default: return basic('untyped string');
        }
      case 'FuncLit': return this.pkg.signature(e.type, this.scopeFor(e.type));
      case 'CompositeLit': {
        if (e.type) {
          if (e.type.kind === 'ArrayType' && e.type.len && e.type.len.kind === 'Ellipsis') {
            const elt = this.typeOf(e.type.elt);
            return elt && { kind: 'array', len: e.elts?.length ?? 0, elem: elt };
          }
          return this.typeOf(e.type);
        }
        return this.elidedLiteralType(e);
      }
      case 'ParenExpr': return this.typeOf(e.x);
      case 'SelectorExpr': {
        const p = this.pkgOf(e.x);
        if (p) {
          const m = p.member(e.sel.name);
          if (!m) return undefined;
          this.selObjs.set(e.sel, m);
          if (m.kind === 'builtin') return undefined;
          return m.type;
        }
        const sel = this.select(e);
        if (!sel) return undefined;
        if (sel.kind === 'field') return sel.type;
        if (this.isType(e.x)) {
          // method expression T.M: func(recv, params...)
          const rt = this.typeOf(e.x);
          if (!sel.sig || !rt) return undefined;
          return { kind: 'signature', params: [{ name: '', type: rt }, ...sel.sig.params], results: sel.sig.results, variadic: sel.sig.variadic };
        }
        return sel.sig;
      }
      case 'IndexExpr': {
        if (this.isType(e.x)) return this.typeExprAny(e);
        const xt = this.typeOf(e.x);
        const u = coreType(xt);
        if (!u) return undefined;
        switch (u.kind) {
          case 'slice': return u.elem;
          case 'array': return u.elem;
          case 'pointer': { const a = under(u.elem); return a && a.kind === 'array' ? a.elem : undefined; }
          case 'map': return u.elem;
          case 'basic': return u.name === 'string' || u.name === 'untyped string' ? UINT8 : undefined;
          case 'signature': return this.instantiateSig(u, [e.index]);
        }
        return undefined;
      }
      case 'IndexListExpr': {
        if (this.isType(e.x)) return this.typeExprAny(e);
        const u = coreType(this.typeOf(e.x));
        if (u && u.kind === 'signature') return this.instantiateSig(u, e.indices ?? []);
        return undefined;
      }
      case 'SliceExpr': {
        const xt = this.typeOf(e.x);
        const u = coreType(xt);
        if (!u) return undefined;
        if (u.kind === 'basic') return u.name === 'untyped string' ? STRING : xt;
        if (u.kind === 'array') return { kind: 'slice', elem: u.elem };
        if (u.kind === 'pointer') { const a = under(u.elem); return a && a.kind === 'array' ? { kind: 'slice', elem: a.elem } : undefined; }
        return xt;
      }
      case 'TypeAssertExpr': return e.type ? this.typeOf(e.type) : undefined;
      case 'CallExpr': return this.callType(e);
      case 'StarExpr': {
        if (this.isType(e.x)) { const t = this.typeOf(e.x); return t && { kind: 'pointer', elem: t }; }
        const u = under(this.typeOf(e.x));
        return u && u.kind === 'pointer' ? u.elem : undefined;
      }
      case 'UnaryExpr': {
        const xt = this.typeOf(e.x);
        if (e.op === '&') return xt && { kind: 'pointer', elem: xt };
        if (e.op === '<-') { const u = coreType(xt); return u && u.kind === 'chan' ? u.elem : undefined; }
        if (e.op === '!') return xt;
        return xt;
      }
      case 'BinaryExpr': {
        switch (e.op) {
          case '==': case '!=': case '<': case '<=': case '>': case '>=': return basic('untyped bool');
          case '&&': case '||': { const x = this.typeOf(e.x); return x && x.kind === 'basic' && x.name.startsWith('untyped') ? this.typeOf(e.y) ?? x : x; }
          case '<<': case '>>': return this.typeOf(e.x);
        }
        const x = this.typeOf(e.x);
        if (x && x.kind === 'basic' && x.name.startsWith('untyped')) {
          const y = this.typeOf(e.y);
          if (y && !(y.kind === 'basic' && y.name.startsWith('untyped'))) return y;
          if (y && y.kind === 'basic' && x.kind === 'basic') return untypedMax(x, y);
        }
        return x;
      }
      case 'KeyValueExpr': return undefined;
      case 'ArrayType': case 'StructType': case 'FuncType': case 'InterfaceType': case 'MapType': case 'ChanType': case 'Ellipsis':
        return this.typeExprAny(e);
    }
    return undefined;
  }

  /** A type expression inside a function body: resolve names through the recorded objects. */
  private typeExprAny(e: ast.Expr): Type | undefined {
    switch (e.kind) {
      case 'Ident': { const o = this.objectOf(e); return o && o.kind === 'type' ? o.type : undefined; }
      case 'SelectorExpr': { const p = this.pkgOf(e.x); const m = p?.member(e.sel.name); return m && m.kind === 'type' ? m.type : undefined; }
      case 'ParenExpr': return this.typeExprAny(e.x);
      case 'StarExpr': { const t = this.typeExprAny(e.x); return t && { kind: 'pointer', elem: t }; }
      case 'ArrayType': {
        const elt = this.typeExprAny(e.elt);
        if (!elt) return undefined;
        if (!e.len) return { kind: 'slice', elem: elt };
        return { kind: 'array', len: e.len.kind === 'BasicLit' ? parseIntLit(e.len.value) : null, elem: elt };
      }
      case 'MapType': { const k = this.typeExprAny(e.key); const v = this.typeExprAny(e.value); return k && v && { kind: 'map', key: k, elem: v }; }
      case 'ChanType': { const v = this.typeExprAny(e.value); return v && { kind: 'chan', dir: e.dir === 3 ? 'both' : e.dir === 1 ? 'send' : 'recv', elem: v }; }
      case 'Ellipsis': { const t = e.elt ? this.typeExprAny(e.elt) : undefined; return t && { kind: 'slice', elem: t }; }
      case 'IndexExpr': case 'IndexListExpr': {
        const base = this.typeExprAny(e.x);
        if (!base || base.kind !== 'named') return base;
        const args = (e.kind === 'IndexExpr' ? [e.index] : e.indices ?? []).map((a) => this.typeExprAny(a));
        if (args.some((a) => !a)) return base;
        return instantiate(base as Named, args as Type[]);
      }
      case 'FuncType': case 'StructType': case 'InterfaceType':
        return this.pkg.typeExpr(e, this.scopeFor(e));
    }
    return undefined;
  }

  /** A scope that resolves names of a type literal inside a body: names map through recorded uses. */
  private scopeFor(root?: ast.Expr): Scope {
    void root;
    const c = this;
    // Proxy scope: look up recorded identifier objects by name is not possible; fall back to package scope
    // but shadow with recorded uses for identifiers inside the literal.
    const s = newScope(this.pkg.scope);
    const names = new Map<string, LObj>();
    if (root) collectIdentObjs(root, (id) => c.objectOf(id) as LObj | undefined, names);
    s.names = names;
    // also make imports visible
    const files = this.pkg.files;
    if (files.length) {
      const fs = this.pkg.fileCtx.get(files[0]!.file);
      if (fs) for (const [k, v] of fs.scope.names) if (!names.has(k)) names.set(k, v);
    }
    return s;
  }

  private elidedLiteralType(e: ast.CompositeLit): Type | undefined {
    const parents = this.parentLinks();
    const p = parents.get(e);
    if (!p) return undefined;
    let outer: ast.Expr | undefined = p.kind === 'KeyValueExpr' ? parents.get(p) : p;
    if (!outer || outer.kind !== 'CompositeLit') return undefined;
    const ot = coreType(this.typeOf(outer));
    if (!ot) return undefined;
    let t: Type | undefined;
    if (ot.kind === 'slice' || ot.kind === 'array') t = ot.elem;
    else if (ot.kind === 'map') t = p.kind === 'KeyValueExpr' && p.key === e ? ot.key : ot.elem;
    if (t && t.kind === 'pointer' && e.type === null) {
      return t; // &T{} elided: the literal itself has type T, but &-elision means the element is *T
    }
    return t;
  }

  /** Parent links for composite literal elements (for elided types), made on first use. */
  private parents: Map<ast.Expr, ast.Expr> | undefined;

  private parentLinks(): Map<ast.Expr, ast.Expr> {
    if (!this.parents) {
      const parents = new Map<ast.Expr, ast.Expr>();
      for (const f of this.pkg.files) {
        forEachExprChild(f.file, (child, parent) => {
          if (child.kind === 'CompositeLit' || child.kind === 'KeyValueExpr') parents.set(child, parent);
        });
      }
      this.parents = parents;
    }
    return this.parents;
  }

  private instantiateSig(s: SignatureType, args: ast.Expr[]): Type | undefined {
    void args;
    return s;
  }

  select(e: ast.SelectorExpr): Selection | undefined {
    const xt = this.typeOf(e.x);
    if (!xt) return undefined;
    return selectIn(xt, e.sel.name);
  }

  private callType(e: ast.CallExpr): Type | undefined {
    const fun = unparen(e.fun);
    if (this.isType(fun)) return this.typeExprAny(fun) ?? this.typeOf(fun);
    const c = this.callee(e);
    if (c && c.kind === 'builtin') return this.builtinType(c.short, e);
    let ft: Type | undefined;
    if (c && c.sig) ft = c.sig;
    else ft = coreType(this.typeOf(fun));
    if (!ft || ft.kind !== 'signature') return undefined;
    let results = ft.results.map((r) => r.type);
    if (results.some((r) => hasTypeParam(r))) {
      const m = this.infer(ft, e.args ?? []);
      results = results.map((r) => substitute(r, m));
    }
    if (results.length === 0) return undefined;
    if (results.length === 1) return isPlaceholder(results[0]) || hasTypeParamNamed(results[0]!, '?') ? undefined : results[0];
    return { kind: 'tuple', types: results };
  }

  /** Light type-argument inference: bind type parameters by unifying parameter and argument types. */
  private infer(s: SignatureType, args: ast.Expr[]): Map<Type, Type> {
    const m = new Map<Type, Type>();
    const unify = (p: Type, a: Type | undefined, depth: number): void => {
      if (!a || depth > 10) return;
      if (p.kind === 'typeparam') {
        if (!m.has(p)) m.set(p, defaultType(a)!);
        return;
      }
      const ua = p.kind === 'named' ? a : under(a) ?? a;
      switch (p.kind) {
        case 'pointer': if (ua.kind === 'pointer') unify(p.elem, ua.elem, depth + 1); return;
        case 'slice': if (ua.kind === 'slice') unify(p.elem, ua.elem, depth + 1); return;
        case 'array': if (ua.kind === 'array') unify(p.elem, ua.elem, depth + 1); return;
        case 'map': if (ua.kind === 'map') { unify(p.key, ua.key, depth + 1); unify(p.elem, ua.elem, depth + 1); } return;
        case 'chan': if (ua.kind === 'chan') unify(p.elem, ua.elem, depth + 1); return;
        case 'signature':
          if (ua.kind === 'signature') {
            p.params.forEach((x, i) => unify(x.type, ua.params[i]?.type, depth + 1));
            p.results.forEach((x, i) => unify(x.type, ua.results[i]?.type, depth + 1));
          }
          return;
        case 'named':
          if (a.kind === 'named' && p.typeArgs && a.typeArgs && p.name === a.name) p.typeArgs.forEach((x, i) => unify(x, a.typeArgs![i], depth + 1));
          return;
      }
    };
    // `f(g())` with g returning several values: its results are the arguments.
    const single = args.length === 1 ? this.typeOf(args[0]!) : undefined;
    const argTypes: (Type | undefined)[] = single?.kind === 'tuple' ? single.types : args.map((a) => this.typeOf(a));
    argTypes.forEach((at, i) => {
      let pi = i;
      if (s.variadic && i >= s.params.length - 1) pi = s.params.length - 1;
      const p = s.params[pi];
      if (!p) return;
      let pt = p.type;
      if (s.variadic && pi === s.params.length - 1 && pt.kind === 'slice') pt = pt.elem;
      unify(pt, at, 0);
    });
    // core types of constraints: a type parameter constrained by ~[]E binds E
    for (const [tp, t] of [...m]) {
      if (tp.kind === 'typeparam' && tp.constraint) {
        const c = under(tp.constraint);
        if (c && c.kind === 'interface' && c.embeds.length === 1) {
          let core = c.embeds[0]!;
          if (core.kind === 'typeparam') continue;
          unify(core, under(t), 0);
        } else if (c && c.kind !== 'interface' && c.kind !== 'typeparam') {
          // An implicit interface (`[S ~[]E, E any]`): the constraint is the core type.
          unify(c, under(t), 0);
        }
      }
    }
    return m;
  }

  private builtinType(name: string, e: ast.CallExpr): Type | undefined {
    const args = e.args ?? [];
    switch (name) {
      case 'len': case 'cap': case 'copy': return INT;
      case 'make': case 'new': {
        const t = args[0] ? this.typeExprAny(args[0]) ?? this.typeOf(args[0]) : undefined;
        if (!t) return undefined;
        return name === 'new' ? { kind: 'pointer', elem: t } : t;
      }
      case 'append': return args[0] ? this.typeOf(args[0]) : undefined;
      case 'complex': return COMPLEX128;
      case 'real': case 'imag': return FLOAT64;
      case 'recover': return EMPTY_IFACE;
      case 'min': case 'max': {
        for (const a of args) {
          const t = this.typeOf(a);
          if (t && !(t.kind === 'basic' && t.name.startsWith('untyped'))) return t;
        }
        return args[0] ? this.typeOf(args[0]) : undefined;
      }
      case 'unsafe.Sizeof': case 'unsafe.Alignof': case 'unsafe.Offsetof': return basic('uintptr');
      case 'unsafe.Pointer': return UNSAFE_POINTER;
      case 'unsafe.Add': return UNSAFE_POINTER;
      case 'unsafe.String': return STRING;
      case 'unsafe.StringData': return { kind: 'pointer', elem: UINT8 };
      case 'unsafe.Slice': { const p = under(args[0] ? this.typeOf(args[0]) : undefined); return p && p.kind === 'pointer' ? { kind: 'slice', elem: p.elem } : undefined; }
      case 'unsafe.SliceData': { const s = under(args[0] ? this.typeOf(args[0]) : undefined); return s && s.kind === 'slice' ? { kind: 'pointer', elem: s.elem } : undefined; }
    }
    return undefined;
  }

  callee(call: ast.CallExpr): Callee | undefined {
    const c = this.callees.get(call);
    if (c !== undefined) return c ?? undefined;
    this.callees.set(call, null);
    let r: Callee | undefined;
    try {
      r = this.computeCallee(call);
    } catch {
      r = undefined;
    }
    this.callees.set(call, r ?? null);
    return r;
  }

  private computeCallee(call: ast.CallExpr): Callee | undefined {
    let fun = unparen(call.fun);
    if ((fun.kind === 'IndexExpr' || fun.kind === 'IndexListExpr') && !this.isType(fun)) fun = unparen(fun.x);
    if (fun.kind === 'Ident') {
      const o = this.objectOf(fun);
      if (!o) return undefined;
      return this.calleeOfObj(o, fun.name);
    }
    if (fun.kind === 'SelectorExpr') {
      const p = this.pkgOf(fun.x);
      if (p) {
        const m = p.member(fun.sel.name);
        if (!m) return undefined;
        this.selObjs.set(fun.sel, m);
        return this.calleeOfObj(m, fun.sel.name);
      }
      if (this.isType(fun.x)) {
        // method expression T.M(recv, ...)
        const sel = this.select(fun);
        if (sel && sel.kind === 'method') return methodCallee(sel);
        return undefined;
      }
      const sel = this.select(fun);
      if (!sel) return undefined;
      if (sel.kind === 'method') return methodCallee(sel);
      const ft = coreType(sel.type);
      if (ft && ft.kind === 'signature') return { kind: 'funcvalue', name: fun.sel.name, short: fun.sel.name, pkg: '', sig: ft };
      return undefined;
    }
    return undefined;
  }

  private calleeOfObj(o: Obj, short: string): Callee | undefined {
    switch (o.kind) {
      case 'builtin': return { kind: 'builtin', name: 'builtin ' + o.name, short: o.name.replace(/^unsafe\./, ''), pkg: '' , ...(o.name.startsWith('unsafe.') ? { short: o.name } : {}) };
      case 'func': {
        const t = o.type;
        const callee: Callee = { kind: 'func', name: `${o.pkg}.${o.name}`, short: o.name, pkg: o.pkg };
        if (t && t.kind === 'signature') callee.sig = t;
        if (o.funcDecl) callee.decl = o.funcDecl;
        return callee;
      }
      case 'type': return { kind: 'conversion', name: o.pkg ? `${o.pkg}.${o.name}` : o.name, short: o.name, pkg: o.pkg };
      case 'var': case 'const': {
        const ft = coreType(o.type);
        const callee: Callee = { kind: 'funcvalue', name: short, short, pkg: o.pkg };
        if (ft && ft.kind === 'signature') callee.sig = ft;
        return callee;
      }
    }
    return undefined;
  }
}

function methodCallee(sel: Extract<Selection, { kind: 'method' }>): Callee {
  const c: Callee = { kind: sel.iface ? 'interface' : 'method', name: sel.fullName, short: sel.short, pkg: sel.recv.pkg, recv: sel.recv };
  if (sel.sig) c.sig = sel.sig;
  if (sel.decl) c.decl = sel.decl;
  return c;
}

/** Field or method `name` of a value of type t (auto-dereferencing pointers, through embedding). */
function selectIn(t: Type, name: string): Selection | undefined {
  let ptr = false;
  let x: Type | undefined = t;
  if (x.kind === 'pointer') {
    ptr = true;
    x = x.elem;
  } else if (x.kind === 'named') {
    const u = under(x);
    if (u && u.kind === 'pointer' && u.elem.kind === 'named') {
      // defined pointer types have no methods; fields of the pointed-to struct are reachable
      const s = (u.elem as Named).select(name, true, 0);
      return s && s.kind === 'field' ? s : undefined;
    }
  }
  if (!x) return undefined;
  if (x.kind === 'named') return (x as Named).select(name, ptr, 0);
  if (x.kind === 'typeparam') {
    const c = under(x.constraint);
    if (c && c.kind === 'interface') {
      const s = selectInterface(c, name, x.constraint && x.constraint.kind === 'named' ? (x.constraint as Named) : null, 0);
      if (s) return s;
      if (c.embeds.length === 1) return selectIn(c.embeds[0]!, name);
    }
    return undefined;
  }
  const u = under(x);
  if (u && u.kind === 'struct') return selectStruct(u, name, ptr, 0);
  if (u && u.kind === 'interface') return selectInterface(u, name, null, 0);
  return undefined;
}

function hasTypeParam(t: Type, depth = 0): boolean {
  if (depth > 8) return false;
  switch (t.kind) {
    case 'typeparam': return true;
    case 'pointer': case 'slice': case 'array': case 'chan': return hasTypeParam(t.elem, depth + 1);
    case 'map': return hasTypeParam(t.key, depth + 1) || hasTypeParam(t.elem, depth + 1);
    case 'signature': return t.params.some((p) => hasTypeParam(p.type, depth + 1)) || t.results.some((p) => hasTypeParam(p.type, depth + 1));
    case 'named': return !!t.typeArgs && t.typeArgs.some((a) => hasTypeParam(a, depth + 1));
    case 'tuple': return t.types.some((x) => hasTypeParam(x, depth + 1));
  }
  return false;
}

function hasTypeParamNamed(t: Type, name: string): boolean {
  return t.kind === 'typeparam' && t.name === name;
}

function untypedMax(x: BasicType, y: BasicType): BasicType {
  const order = ['untyped int', 'untyped rune', 'untyped float', 'untyped complex'];
  const i = order.indexOf(x.name);
  const j = order.indexOf(y.name);
  return i >= 0 && j >= 0 && j > i ? y : x;
}

function collectIdentObjs(root: ast.Node, objectOf: (id: ast.Ident) => LObj | undefined, out: Map<string, LObj>): void {
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    const node = n as { kind?: string };
    if (node.kind === 'Ident') {
      const id = n as ast.Ident;
      const o = objectOf(id);
      if (o) out.set(id.name, o);
      return;
    }
    for (const k in node) if (k !== 'kind') walk((node as Record<string, unknown>)[k]);
  };
  walk(root);
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** Type-checks one package (its files, with dependencies from the importer or the stdlib index). */
export function checkPackage(input: CheckInput): CheckResult {
  const errors: string[] = [];
  const u = input.universe ?? new Universe(input.importer);
  const pkg = new SourcePackage(u, input.path, input.name, []);
  const checker = new Checker(pkg);
  pkg.info = checker;
  pkg.record = (id, o) => {
    checker.defs.set(id, o);
  };
  // re-run construction with recording enabled
  (pkg as unknown as { files: CheckFile[] }).files = input.files;
  for (const f of input.files) (pkg as unknown as { declareFile(f: ast.File): void }).declareFile(f.file);
  u.register(pkg);
  for (const f of input.files) (pkg as unknown as { collectMethods(f: ast.File): void }).collectMethods(f.file);

  for (const f of input.files) {
    try {
      resolveFile(checker, pkg, f.file);
    } catch (e) {
      errors.push(`${input.path}: ${(e as Error).message}`);
    }
  }
  return { info: checker, errors };
}

function resolveFile(c: Checker, pkg: SourcePackage, file: ast.File): void {
  const fscope = pkg.fileCtx.get(file)!.scope;
  for (const d of file.decls ?? []) {
    if (d.kind === 'FuncDecl') {
      const r = new LocalResolver(c, fscope);
      // signature identifiers
      const declScope = pkg.funcScope(d);
      r.funcBody(d.type, d.body, d.recv, declScope);
      if (d.recv) for (const f of d.recv.list ?? []) if (f.type) r.walkTypeExpr(recvBaseExpr(f.type), declScope);
    } else if (d.kind === 'GenDecl' && d.tok !== 'import') {
      const r = new LocalResolver(c, fscope);
      for (const s of d.specs ?? []) {
        if (s.kind === 'ValueSpec') {
          if (s.type) r.walkTypeExpr(s.type);
          for (const v of s.values ?? []) r.walkExpr(v);
        } else if (s.kind === 'TypeSpec') {
          const o = pkg.scope.names.get(s.name.name);
          const t = o?.type;
          const scope = t instanceof SourceNamed ? (t as unknown as { scope: Scope }).scope : fscope;
          if (s.typeParams) for (const f of s.typeParams.list ?? []) if (f.type) r.walkTypeExpr(f.type, scope);
          r.walkTypeExpr(s.type, scope);
        }
      }
    }
  }
}

function recvBaseExpr(te: ast.Expr): ast.Expr {
  let x = unparen(te);
  if (x.kind === 'StarExpr') x = unparen(x.x);
  if (x.kind === 'IndexExpr' || x.kind === 'IndexListExpr') x = x.x;
  return x;
}

function forEachExprChild(root: ast.Node, f: (child: ast.Expr, parent: ast.Expr) => void): void {
  const walk = (n: ast.Node): void => {
    if (n.kind === 'CompositeLit') {
      for (const el of n.elts ?? []) {
        f(el, n);
        if (el.kind === 'KeyValueExpr') {
          f(el.key, el);
          f(el.value, el);
        }
      }
    }
    forEachChildLocal(n, walk);
  };
  walk(root);
}

import { forEachChild as forEachChildLocal } from '../syntax/nodes.js';
