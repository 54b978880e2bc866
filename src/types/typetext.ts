// Parser and printer for the type expressions written in the Go API listings
// ($GOROOT/api/go1*.txt), the text form stored in data/stdlib-api.json.
//
// The listing grammar is a subset of Go type syntax as printed by cmd/api:
//   - names are unqualified inside their own package (`*File` in os) and qualified by
//     package *name* elsewhere (`io.Reader`, `fs.FileMode`); the caller supplies the
//     qualifier-to-path mapping;
//   - `byte`/`rune`/`any` are spelled `uint8`/`int32`/`interface{}`; aliases are expanded;
//   - struct types print as the bare word `struct` (their fields are not listed);
//   - inline interfaces print method *names* and embedded elements, `interface{ ~[]$1 }`;
//   - type parameters print as `$0`, `$1`, ... (their index), with constraints in
//     declarations: `[$0 interface{ ~[]$1 }, $1 cmp.Ordered]`;
//   - untyped constant types print as `ideal-int`, `ideal-float`, `ideal-char`, ...
// `parseType` and `parseSignature` accept exactly that, plus ordinary Go spellings of the
// same constructs (`struct{...}` bodies are skipped, `;` separates like `,`).

export type ChanDir = 'both' | 'send' | 'recv';
export type UntypedKind = 'bool' | 'int' | 'rune' | 'float' | 'complex' | 'string';

export type TypeExpr =
  /** A named type. `pkg` is the import path, or '' for predeclared names (int, error, comparable, ...). */
  | { kind: 'named'; pkg: string; name: string; args: TypeExpr[] }
  /** A type parameter of the enclosing generic declaration, by index (`$0`). */
  | { kind: 'typeparam'; index: number }
  | { kind: 'pointer'; elem: TypeExpr }
  | { kind: 'slice'; elem: TypeExpr }
  | { kind: 'array'; len: number; elem: TypeExpr }
  | { kind: 'map'; key: TypeExpr; elem: TypeExpr }
  | { kind: 'chan'; dir: ChanDir; elem: TypeExpr }
  | { kind: 'func'; sig: Signature }
  /** An anonymous struct type; the API listings do not record its fields. */
  | { kind: 'struct' }
  /** An inline interface: method names and embedded elements (types or unions). */
  | { kind: 'interface'; methods: string[]; embeds: TypeExpr[] }
  /** A type-set union such as `~int | ~string` (only inside interfaces). */
  | { kind: 'union'; terms: UnionTerm[] }
  /** The type of an untyped constant (`ideal-int` in the listings). */
  | { kind: 'untyped'; basic: UntypedKind };

export interface UnionTerm {
  tilde: boolean;
  type: TypeExpr;
}

export interface TypeParam {
  index: number;
  constraint: TypeExpr;
}

export interface Signature {
  typeParams: TypeParam[];
  params: TypeExpr[];
  results: TypeExpr[];
  /** The last parameter is `...T`; params holds the slice type `[]T` for it, as go/types does. */
  variadic: boolean;
}

export interface ParseContext {
  /** Import path of the package whose listing the text comes from (unqualified names belong to it). */
  pkg: string;
  /** Maps a package-name qualifier (`io`, `fs`, `rand`) to an import path; undefined if unknown. */
  resolve(qualifier: string): string | undefined;
}

export class TypeTextError extends Error {
  readonly text: string;
  readonly offset: number;
  constructor(message: string, text: string, offset: number) {
    super(`${message} at offset ${offset} in type text ${JSON.stringify(text)}`);
    this.name = 'TypeTextError';
    this.text = text;
    this.offset = offset;
  }
}

/** Predeclared type names (universe scope), including the spellings cmd/api never prints. */
export const PREDECLARED = new Set([
  'bool', 'string', 'error', 'comparable', 'any', 'byte', 'rune', 'uintptr',
  'int', 'int8', 'int16', 'int32', 'int64',
  'uint', 'uint8', 'uint16', 'uint32', 'uint64',
  'float32', 'float64', 'complex64', 'complex128',
]);

const UNTYPED: Record<string, UntypedKind> = {
  'ideal-bool': 'bool',
  'ideal-int': 'int',
  'ideal-char': 'rune',
  'ideal-rune': 'rune',
  'ideal-float': 'float',
  'ideal-complex': 'complex',
  'ideal-string': 'string',
};

type Tok =
  | { t: 'ident'; v: string; at: number }
  | { t: 'tparam'; v: number; at: number }
  | { t: 'int'; v: number; at: number }
  | { t: 'punct'; v: string; at: number }
  | { t: 'eof'; v: ''; at: number };

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const at = i;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      // `ideal-int` and friends are single words.
      if (text.startsWith('ideal', i) && j === i + 5 && text[j] === '-') {
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      }
      out.push({ t: 'ident', v: text.slice(i, j), at });
      i = j;
      continue;
    }
    if (c === 36 /* $ */) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (j === i + 1) throw new TypeTextError('"$" without a type-parameter index', text, at);
      out.push({ t: 'tparam', v: Number(text.slice(i + 1, j)), at });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      out.push({ t: 'int', v: Number(text.slice(i, j)), at });
      i = j;
      continue;
    }
    if (text.startsWith('...', i)) {
      out.push({ t: 'punct', v: '...', at });
      i += 3;
      continue;
    }
    if (text.startsWith('<-', i)) {
      out.push({ t: 'punct', v: '<-', at });
      i += 2;
      continue;
    }
    if ('*[](){},.~|;'.includes(text[i]!)) {
      out.push({ t: 'punct', v: text[i]!, at });
      i++;
      continue;
    }
    throw new TypeTextError(`unexpected character ${JSON.stringify(text[i])}`, text, at);
  }
  out.push({ t: 'eof', v: '', at: n });
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

class Parser {
  private readonly toks: Tok[];
  private p = 0;
  constructor(
    private readonly text: string,
    private readonly ctx: ParseContext,
  ) {
    this.toks = tokenize(text);
  }

  private get tok(): Tok {
    return this.toks[this.p]!;
  }
  private peek(k = 1): Tok {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)]!;
  }
  private is(v: string): boolean {
    const t = this.tok;
    return (t.t === 'punct' || t.t === 'ident') && t.v === v;
  }
  private fail(msg: string, at = this.tok.at): never {
    throw new TypeTextError(msg, this.text, at);
  }
  private expect(v: string): void {
    if (!this.is(v)) this.fail(`expected ${JSON.stringify(v)}, found ${describe(this.tok)}`);
    this.p++;
  }
  private ident(): string {
    const t = this.tok;
    if (t.t !== 'ident') this.fail(`expected a name, found ${describe(t)}`);
    this.p++;
    return t.v;
  }

  end(): void {
    if (this.tok.t !== 'eof') this.fail(`unexpected ${describe(this.tok)} after the type`);
  }

  type(): TypeExpr {
    const t = this.tok;
    switch (t.t) {
      case 'tparam':
        this.p++;
        return { kind: 'typeparam', index: t.v };
      case 'punct':
        switch (t.v) {
          case '*':
            this.p++;
            return { kind: 'pointer', elem: this.type() };
          case '[': {
            this.p++;
            if (this.is(']')) {
              this.p++;
              return { kind: 'slice', elem: this.type() };
            }
            const len = this.tok;
            if (len.t !== 'int') this.fail(`expected an array length or "]", found ${describe(len)}`);
            this.p++;
            this.expect(']');
            return { kind: 'array', len: len.v, elem: this.type() };
          }
          case '(': {
            this.p++;
            const inner = this.type();
            this.expect(')');
            return inner;
          }
          case '<-':
            this.p++;
            this.expect('chan');
            return { kind: 'chan', dir: 'recv', elem: this.type() };
        }
        return this.fail(`expected a type, found ${describe(t)}`);
      case 'ident':
        return this.namedOrKeyword(t.v);
      default:
        return this.fail(`expected a type, found ${describe(t)}`);
    }
  }

  private namedOrKeyword(word: string): TypeExpr {
    switch (word) {
      case 'map': {
        this.p++;
        this.expect('[');
        const key = this.type();
        this.expect(']');
        return { kind: 'map', key, elem: this.type() };
      }
      case 'chan': {
        this.p++;
        if (this.is('<-')) {
          this.p++;
          return { kind: 'chan', dir: 'send', elem: this.type() };
        }
        return { kind: 'chan', dir: 'both', elem: this.type() };
      }
      case 'func':
        this.p++;
        return { kind: 'func', sig: this.signature(false) };
      case 'struct':
        this.p++;
        if (this.is('{')) this.skipBalanced('{', '}');
        return { kind: 'struct' };
      case 'interface':
        this.p++;
        return this.interfaceBody();
    }
    const untyped = UNTYPED[word];
    if (untyped) {
      this.p++;
      return { kind: 'untyped', basic: untyped };
    }
    this.p++;
    let pkg: string;
    let name = word;
    if (this.is('.')) {
      this.p++;
      name = this.ident();
      const path = word === 'unsafe' ? 'unsafe' : this.ctx.resolve(word);
      if (path === undefined) this.fail(`unknown package qualifier ${JSON.stringify(word)}`, this.toks[this.p - 3]!.at);
      pkg = path;
    } else {
      pkg = PREDECLARED.has(word) ? '' : this.ctx.pkg;
    }
    const args: TypeExpr[] = [];
    if (this.is('[')) {
      this.p++;
      args.push(this.type());
      while (this.is(',')) {
        this.p++;
        args.push(this.type());
      }
      this.expect(']');
    }
    return { kind: 'named', pkg, name, args };
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      if (this.tok.t === 'eof') this.fail(`unbalanced ${JSON.stringify(open)}`);
      if (this.is(open)) depth++;
      else if (this.is(close)) depth--;
      this.p++;
    } while (depth > 0);
  }

  private interfaceBody(): TypeExpr {
    this.expect('{');
    const methods: string[] = [];
    const embeds: TypeExpr[] = [];
    while (!this.is('}')) {
      const t = this.tok;
      const next = this.peek();
      const bareName =
        t.t === 'ident' &&
        !PREDECLARED.has(t.v) &&
        !UNTYPED[t.v] &&
        !['map', 'chan', 'func', 'struct', 'interface'].includes(t.v);
      if (bareName && next.t === 'punct' && next.v === '(') {
        // A method with its signature, as Go source writes it: `Close() error`.
        this.p++;
        methods.push(t.v);
        this.signature(false);
      } else if (bareName && next.t === 'punct' && (next.v === ',' || next.v === ';' || next.v === '}')) {
        // cmd/api lists the method *names* of an inline interface.
        this.p++;
        methods.push(t.v);
      } else {
        embeds.push(this.unionOrType());
      }
      if (this.is(',') || this.is(';')) this.p++;
      else if (!this.is('}')) this.fail(`expected "," or "}" in interface, found ${describe(this.tok)}`);
    }
    this.p++;
    return { kind: 'interface', methods, embeds };
  }

  unionOrType(): TypeExpr {
    const terms: UnionTerm[] = [this.term()];
    while (this.is('|')) {
      this.p++;
      terms.push(this.term());
    }
    if (terms.length === 1 && !terms[0]!.tilde) return terms[0]!.type;
    return { kind: 'union', terms };
  }

  private term(): UnionTerm {
    if (this.is('~')) {
      this.p++;
      return { tilde: true, type: this.type() };
    }
    return { tilde: false, type: this.type() };
  }

  /** `[tparams](params) results`; type parameters only where allowed (declarations). */
  signature(allowTypeParams: boolean): Signature {
    const typeParams: TypeParam[] = [];
    if (this.is('[')) {
      if (!allowTypeParams) this.fail('type parameters are not allowed here');
      typeParams.push(...this.typeParamList());
    }
    const { types: params, variadic } = this.tuple(true);
    let results: TypeExpr[] = [];
    if (this.is('(')) {
      results = this.tuple(false).types;
    } else if (this.startsType()) {
      results = [this.type()];
    }
    return { typeParams, params, results, variadic };
  }

  typeParamList(): TypeParam[] {
    this.expect('[');
    const out: TypeParam[] = [];
    for (;;) {
      const t = this.tok;
      if (t.t !== 'tparam') this.fail(`expected a type parameter ($N), found ${describe(t)}`);
      this.p++;
      // Receiver type parameters are listed without constraints: `[$0]`.
      const constraint: TypeExpr =
        this.is(',') || this.is(']') ? { kind: 'interface', methods: [], embeds: [] } : this.unionOrType();
      out.push({ index: t.v, constraint });
      if (this.is(',')) {
        this.p++;
        continue;
      }
      this.expect(']');
      return out;
    }
  }

  private tuple(allowVariadic: boolean): { types: TypeExpr[]; variadic: boolean } {
    this.expect('(');
    const types: TypeExpr[] = [];
    let variadic = false;
    while (!this.is(')')) {
      if (variadic) this.fail('a variadic parameter must be the last one');
      if (this.is('...')) {
        if (!allowVariadic) this.fail('"..." is only allowed on the last parameter');
        this.p++;
        variadic = true;
        types.push({ kind: 'slice', elem: this.type() });
      } else {
        types.push(this.type());
      }
      if (this.is(',')) this.p++;
      else if (!this.is(')')) this.fail(`expected "," or ")", found ${describe(this.tok)}`);
    }
    this.p++;
    return { types, variadic };
  }

  private startsType(): boolean {
    const t = this.tok;
    if (t.t === 'ident' || t.t === 'tparam') return true;
    return t.t === 'punct' && (t.v === '*' || t.v === '[' || t.v === '<-');
  }
}

function describe(t: Tok): string {
  return t.t === 'eof' ? 'end of text' : JSON.stringify(String(t.v));
}

/** Parses one type, e.g. `map[string][]*Cookie` or `func(io.Writer) error`. */
export function parseType(text: string, ctx: ParseContext): TypeExpr {
  const p = new Parser(text, ctx);
  const t = p.unionOrType();
  p.end();
  return t;
}

/** Parses a function or method signature as written after the name: `[$0 any](x $0) error` style without names. */
export function parseSignature(text: string, ctx: ParseContext): Signature {
  const p = new Parser(text, ctx);
  const s = p.signature(true);
  p.end();
  return s;
}

/** Parses a type-parameter list `[$0 interface{}, $1 comparable]`. */
export function parseTypeParams(text: string, ctx: ParseContext): TypeParam[] {
  const p = new Parser(text, ctx);
  const tps = p.typeParamList();
  p.end();
  return tps;
}

/** Every package qualifier used in a text (`io` in `func(io.Reader) error`), without parsing fully. */
export function qualifiersIn(text: string): string[] {
  const out = new Set<string>();
  const re = /(?<![\w$.])([A-Za-z_][\w]*)\.(?=[A-Za-z_])/g;
  for (const m of text.matchAll(re)) out.add(m[1]!);
  return [...out].sort();
}

/** Qualifies a package path when printing; the default prints full import paths like go/types. */
export type Qualifier = (pkg: string) => string;

const fullPath: Qualifier = (pkg) => pkg;

/** Prints a type. With a qualifier returning '' for the current package this reproduces listing text. */
export function typeString(t: TypeExpr, q: Qualifier = fullPath): string {
  switch (t.kind) {
    case 'named': {
      const prefix = t.pkg === '' ? '' : q(t.pkg);
      const base = prefix === '' ? t.name : `${prefix}.${t.name}`;
      return t.args.length ? `${base}[${t.args.map((a) => typeString(a, q)).join(', ')}]` : base;
    }
    case 'typeparam':
      return `$${t.index}`;
    case 'pointer':
      return `*${typeString(t.elem, q)}`;
    case 'slice':
      return `[]${typeString(t.elem, q)}`;
    case 'array':
      return `[${t.len}]${typeString(t.elem, q)}`;
    case 'map':
      return `map[${typeString(t.key, q)}]${typeString(t.elem, q)}`;
    case 'chan': {
      const head = t.dir === 'send' ? 'chan<- ' : t.dir === 'recv' ? '<-chan ' : 'chan ';
      // `chan (<-chan T)` needs parentheses to keep its meaning.
      const inner = typeString(t.elem, q);
      return t.dir !== 'recv' && t.elem.kind === 'chan' && t.elem.dir === 'recv' ? `${head}(${inner})` : head + inner;
    }
    case 'func':
      return `func${signatureString(t.sig, q)}`;
    case 'struct':
      return 'struct';
    case 'interface': {
      const parts = [...t.methods, ...t.embeds.map((e) => typeString(e, q))];
      return parts.length ? `interface{ ${parts.join(', ')} }` : 'interface{}';
    }
    case 'union':
      return t.terms.map((x) => (x.tilde ? '~' : '') + typeString(x.type, q)).join(' | ');
    case 'untyped':
      return `untyped ${t.basic}`;
  }
}

/** Prints a signature (without the `func` keyword): `(string) (*os.File, error)`. */
export function signatureString(s: Signature, q: Qualifier = fullPath): string {
  let out = '';
  if (s.typeParams.length) {
    out += `[${s.typeParams.map((tp) => `$${tp.index} ${typeString(tp.constraint, q)}`).join(', ')}]`;
  }
  const params = s.params.map((p, i) => {
    if (s.variadic && i === s.params.length - 1 && p.kind === 'slice') return `...${typeString(p.elem, q)}`;
    return typeString(p, q);
  });
  out += `(${params.join(', ')})`;
  if (s.results.length === 1) {
    out += ` ${typeString(s.results[0]!, q)}`;
  } else if (s.results.length > 0) {
    out += ` (${s.results.map((r) => typeString(r, q)).join(', ')})`;
  }
  return out;
}
