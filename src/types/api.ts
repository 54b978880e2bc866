// The type information the analysis layer sees. The resolver (./check.ts) fills it for one
// package; anything it cannot determine stays undefined ("unknown"), never a guess.
import type * as ast from '../syntax/ast.js';

export type ChanDir = 'both' | 'send' | 'recv';

export type Type =
  | BasicType
  | NamedType
  | PointerType
  | SliceType
  | ArrayType
  | MapType
  | ChanType
  | SignatureType
  | TupleType
  | StructType
  | InterfaceType
  | TypeParamType;

/** Predeclared non-named types: bool, int..., string, unsafe.Pointer, and the untyped kinds ("untyped int", "untyped nil"...). */
export interface BasicType { kind: 'basic'; name: string }

/** A defined type. `pkg` is the import path ('' for universe types such as `error` and `comparable`). */
export interface NamedType {
  kind: 'named';
  pkg: string;
  name: string;
  typeArgs: Type[] | null;
  /** Resolved lazily; undefined when unknown (e.g. a type from an unavailable dependency). */
  underlying(): Type | undefined;
}

export interface PointerType { kind: 'pointer'; elem: Type }
export interface SliceType { kind: 'slice'; elem: Type }
export interface ArrayType { kind: 'array'; len: number | null; elem: Type }
export interface MapType { kind: 'map'; key: Type; elem: Type }
export interface ChanType { kind: 'chan'; dir: ChanDir; elem: Type }

export interface Param { name: string; type: Type }

export interface SignatureType {
  kind: 'signature';
  params: Param[];
  results: Param[];
  variadic: boolean;
}

/** Multiple results of a call. */
export interface TupleType { kind: 'tuple'; types: Type[] }

export interface StructField { name: string; type: Type; embedded: boolean }
export interface StructType { kind: 'struct'; fields: StructField[] }

export interface InterfaceMethod { name: string; sig: SignatureType }
export interface InterfaceType { kind: 'interface'; methods: InterfaceMethod[]; embeds: Type[] }

export interface TypeParamType { kind: 'typeparam'; name: string; constraint: Type | undefined }

export type ObjKind = 'var' | 'const' | 'type' | 'func' | 'pkgname' | 'builtin' | 'nil' | 'label';

/** A named entity: what an identifier denotes. */
export interface Obj {
  kind: ObjKind;
  name: string;
  /** Import path of the declaring package; '' for universe objects. */
  pkg: string;
  /** The object's type, when known. For pkgname objects, undefined. */
  type: Type | undefined;
  /** The declaring identifier, when declared in the analysed package. */
  decl: ast.Ident | null;
  /** For pkgname objects: the imported package path. */
  imported?: string;
  /** For var objects: parameter, result, receiver, struct field, or package-level. */
  varKind?: 'local' | 'param' | 'result' | 'recv' | 'field' | 'package';
  /** For func objects declared in this package: the declaration. */
  funcDecl?: ast.FuncDecl;
}

export interface Callee {
  /**
   * func: a package-level function; method: a concrete method; interface: an interface method;
   * builtin: a predeclared function; funcvalue: a call of a func-typed variable, field or result;
   * conversion: a type conversion T(x).
   */
  kind: 'func' | 'method' | 'interface' | 'builtin' | 'funcvalue' | 'conversion';
  /**
   * Qualified name as go/types prints it: `os.Open`, `(*sync.WaitGroup).Wait`,
   * `(example.com/m/p.T).M`, `(io.Reader).Read`, `builtin close`. For funcvalue: the variable's
   * qualified name (`example.com/m/p.handler` for package-level, the plain name for locals).
   */
  name: string;
  /** Import path of the package declaring the function or method ('' for builtins). */
  pkg: string;
  /** For methods: the receiver's named type and whether the method has a pointer receiver. */
  recv?: { pkg: string; name: string; pointer: boolean };
  /** The method or function name alone (`Wait`, `Open`, `close`). */
  short: string;
  /** The declaration, when it is a function or method declared in the analysed package. */
  decl?: ast.FuncDecl;
  /** The signature, when known. */
  sig?: SignatureType;
}

export interface TypeInfo {
  /** The type of an expression (for a type expression, the type it denotes), or undefined. */
  typeOf(e: ast.Expr): Type | undefined;
  /** The object an identifier declares or uses, or undefined. */
  objectOf(id: ast.Ident): Obj | undefined;
  /** What a call calls, or undefined when it cannot be determined. */
  callee(call: ast.CallExpr): Callee | undefined;
  /** Whether an expression denotes a type (so `T(x)` is a conversion). */
  isType(e: ast.Expr): boolean;
}
