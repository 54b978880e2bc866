// The Go parser: a recursive-descent parser for the complete Go grammar producing the tree of
// ast.ts. It accepts and rejects exactly what go/parser (ParseComments mode) does and builds the
// same tree, including comment groups, doc and line comments. It never throws: errors are
// collected with positions, nesting depth is bounded, and the parse always terminates.
import type * as ast from './ast.js';
import { NOPOS, SEND, RECV } from './ast.js';
import * as T from './token.js';
import { Scanner, type LineDirective } from './scanner.js';
import { SourceFile, encodeUtf8 } from './source.js';
import { pos as nodePos, end as nodeEnd, unparen, utf8Len } from './nodes.js';
import { parseConstraint, constraintGoVersion } from './constraint.js';

export interface SyntaxErr {
  offset: number;
  line: number;
  column: number;
  message: string;
}

export interface ParseResult {
  file: ast.File;
  errors: SyntaxErr[];
  source: SourceFile;
  lineDirectives: LineDirective[];
}

export interface ParseOptions {
  /**
   * 'full' (default); 'declarations' (for reading the API of imported packages: function and
   * method bodies and function literals' bodies are skipped, their BlockStmt has no statements,
   * and so are composite literals' elements, except in [...]T{...}: elts null, incomplete true);
   * 'imports' (stop after the import
   * declarations); 'package' (stop after the package clause).
   */
  mode?: 'full' | 'declarations' | 'imports' | 'package';
  /**
   * Maximum nesting depth of expressions, statements and types before the parse is abandoned.
   * Default DEFAULT_MAX_NESTING.
   */
  maxNesting?: number;
  /** Keep comments (default true). Without them no doc or line comments are attached and File.comments is null. */
  comments?: boolean;
}

/**
 * The default nesting limit. Low enough that the limit, not the JavaScript stack, ends the parse of
 * a deeply nested file even on a main thread's small stack: the result is then the same in every
 * thread (a worker's stack is larger), and trees that parse can be walked recursively by the rules.
 * Real Go code nests a few dozen levels; go/parser's own limit is far higher (1e5).
 */
export const DEFAULT_MAX_NESTING = 1000;

class Bailout {
  constructor(readonly offset: number, readonly message: string) {}
}

type Field = { name: ast.Ident | null; typ: ast.Expr | null };

const BASIC = 0;
const LABEL_OK = 1;
const RANGE_OK = 2;

const stmtStart = new Set([
  T.BREAK, T.CONST, T.CONTINUE, T.DEFER, T.FALLTHROUGH, T.FOR, T.GO, T.GOTO, T.IF, T.RETURN, T.SELECT, T.SWITCH, T.TYPE, T.VAR,
]);
const declStart = new Set([T.IMPORT, T.CONST, T.TYPE, T.VAR]);
const exprEnd = new Set([T.COMMA, T.COLON, T.SEMICOLON, T.RPAREN, T.RBRACK, T.RBRACE]);

function ident(namePos: number, name: string): ast.Ident {
  return { kind: 'Ident', namePos, name };
}

function badExpr(from: number, to: number): ast.BadExpr {
  return { kind: 'BadExpr', from, to };
}

function packIndexExpr(x: ast.Expr, lbrack: number, exprs: ast.Expr[], rbrack: number): ast.Expr {
  if (exprs.length === 1) return { kind: 'IndexExpr', x, lbrack, index: exprs[0]!, rbrack };
  return { kind: 'IndexListExpr', x, lbrack, indices: exprs, rbrack };
}

function isTypeElem(x: ast.Expr): boolean {
  switch (x.kind) {
    case 'ArrayType': case 'StructType': case 'FuncType': case 'InterfaceType': case 'MapType': case 'ChanType':
      return true;
    case 'BinaryExpr': return isTypeElem(x.x) || isTypeElem(x.y);
    case 'UnaryExpr': return x.op === '~';
    case 'ParenExpr': return isTypeElem(x.x);
  }
  return false;
}

function extractName(x: ast.Expr, force: boolean): [ast.Ident | null, ast.Expr | null] {
  switch (x.kind) {
    case 'Ident':
      return [x, null];
    case 'BinaryExpr':
      if (x.op === '*') {
        if (x.x.kind === 'Ident' && (force || isTypeElem(x.y))) {
          return [x.x, { kind: 'StarExpr', star: x.opPos, x: x.y }];
        }
      } else if (x.op === '|') {
        const [name, lhs] = extractName(x.x, force || isTypeElem(x.y));
        if (name && lhs) {
          return [name, { kind: 'BinaryExpr', x: lhs, opPos: x.opPos, op: x.op, y: x.y }];
        }
      }
      break;
    case 'CallExpr':
      if (x.fun.kind === 'Ident') {
        if (x.args && x.args.length === 1 && x.ellipsis === NOPOS && (force || isTypeElem(x.args[0]!))) {
          return [x.fun, { kind: 'ParenExpr', lparen: x.lparen, x: x.args[0]!, rparen: x.rparen }];
        }
      }
      break;
  }
  return [null, x];
}

function isTypeSwitchAssert(x: ast.Expr): boolean {
  return x.kind === 'TypeAssertExpr' && x.type === null;
}

class Parser {
  private readonly sc: Scanner;
  private readonly source: SourceFile;
  readonly errors: { offset: number; message: string }[] = [];
  private readonly maxNest: number;

  // comments
  comments: ast.CommentGroup[] = [];
  private leadComment: ast.CommentGroup | null = null;
  private lineComment: ast.CommentGroup | null = null;
  private top = true;
  goVersion = '';

  // next token
  private pos = NOPOS;
  private tok = T.ILLEGAL;
  private lit = '';
  private stringEnd = 0;

  // error recovery
  private syncPos = 0;
  private syncCnt = 0;

  private exprLev = 0;
  private inRhs = false;
  imports: ast.ImportSpec[] = [];
  private nestLev = 0;

  // partial results survive a bailout
  decls: ast.Decl[] = [];

  constructor(sc: Scanner, source: SourceFile, maxNest: number, skipComments = false) {
    this.sc = sc;
    this.source = source;
    this.maxNest = maxNest;
    this.skipComments = skipComments;
    this.next();
  }

  // ---- errors ----

  private lineOf(offset: number): number {
    // Only errors need lines: the table is built on first use.
    const ls = this.source.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private lineFor(p: number): number {
    return p < 0 ? 0 : this.lineOf(p);
  }

  private allErrorCount(): number {
    return this.errors.length + this.sc.errors.length;
  }

  error(offset: number, message: string): void {
    const n = this.errors.length;
    if (n > 0 && this.lineFor(this.errors[n - 1]!.offset) === this.lineFor(offset)) return; // likely spurious
    if (this.allErrorCount() > 10) throw new Bailout(-1, '');
    this.errors.push({ offset, message });
  }

  private errorExpected(p: number, msg: string): void {
    msg = 'expected ' + msg;
    if (p === this.pos) {
      if (this.tok === T.SEMICOLON && this.lit === '\n') msg += ', found newline';
      else if (T.isLiteral(this.tok)) msg += ', found ' + this.lit;
      else msg += ", found '" + T.tokenString[this.tok] + "'";
    }
    this.error(p, msg);
  }

  private incNest(): void {
    if (++this.nestLev > this.maxNest) {
      this.error(this.pos, 'exceeded max nesting depth');
      throw new Bailout(this.pos, 'exceeded max nesting depth');
    }
  }

  // ---- tokens and comments ----

  private next0(): void {
    const sc = this.sc;
    for (;;) {
      sc.scan();
      this.pos = sc.pos;
      this.tok = sc.tok;
      this.lit = sc.lit;
      if (sc.tok === T.COMMENT) {
        if (this.top && this.lit.startsWith('//go:build')) {
          try {
            this.goVersion = constraintGoVersion(parseConstraint(this.lit));
          } catch {
            // not a valid constraint: no version
          }
        }
        if (this.skipComments) continue;
      } else {
        if (sc.tok === T.STRING) this.stringEnd = sc.stringEnd;
        this.top = false;
      }
      return;
    }
  }

  /** The last line of the comment or comment group consumed last. */
  private endline = 0;

  private consumeComment(): ast.Comment {
    let endline = this.lineFor(this.pos);
    const lit = this.lit;
    if (lit.charCodeAt(1) === 0x2a) {
      for (let i = 0; i < lit.length; i++) if (lit.charCodeAt(i) === 10) endline++;
    }
    const comment: ast.Comment = { kind: 'Comment', slash: this.pos, text: lit };
    this.next0();
    this.endline = endline;
    return comment;
  }

  private consumeCommentGroup(n: number): ast.CommentGroup {
    const list: ast.Comment[] = [];
    let endline = this.lineFor(this.pos);
    while (this.tok === T.COMMENT && this.lineFor(this.pos) <= endline + n) {
      list.push(this.consumeComment());
      endline = this.endline;
    }
    const g: ast.CommentGroup = { kind: 'CommentGroup', list };
    this.comments.push(g);
    this.endline = endline;
    return g;
  }

  private next(): void {
    this.leadComment = null;
    this.lineComment = null;
    const prev = this.pos;
    this.next0();
    if (this.tok === T.COMMENT) {
      let comment: ast.CommentGroup | null = null;
      let endline: number;
      if (this.lineFor(this.pos) === this.lineFor(prev)) {
        comment = this.consumeCommentGroup(0);
        endline = this.endline;
        if (this.lineFor(this.pos) !== endline || this.tok === T.SEMICOLON || this.tok === T.EOF) {
          this.lineComment = comment;
        }
      }
      endline = -1;
      while (this.tok === T.COMMENT) {
        comment = this.consumeCommentGroup(1);
        endline = this.endline;
      }
      if (endline + 1 === this.lineFor(this.pos)) this.leadComment = comment;
    }
  }

  private expect(tok: number): number {
    const p = this.pos;
    if (this.tok !== tok) this.errorExpected(p, "'" + T.tokenString[tok] + "'");
    this.next();
    return p;
  }

  private expect2(tok: number): number {
    let p = NOPOS;
    if (this.tok === tok) p = this.pos;
    else this.errorExpected(this.pos, "'" + T.tokenString[tok] + "'");
    this.next();
    return p;
  }

  private expectClosing(tok: number, context: string): number {
    if (this.tok !== tok && this.tok === T.SEMICOLON && this.lit === '\n') {
      this.error(this.pos, "missing ',' before newline in " + context);
      this.next();
    }
    return this.expect(tok);
  }

  private expectSemi(): ast.CommentGroup | null {
    switch (this.tok) {
      case T.RPAREN:
      case T.RBRACE:
        return null;
      case T.COMMA:
      case T.SEMICOLON: {
        if (this.tok === T.COMMA) this.errorExpected(this.pos, "';'"); // permit a ',' instead of a ';' but complain
        let comment: ast.CommentGroup | null;
        if (this.tok === T.SEMICOLON && this.lit === ';') {
          this.next();
          comment = this.lineComment;
        } else {
          comment = this.lineComment;
          this.next();
        }
        return comment;
      }
      default:
        this.errorExpected(this.pos, "';'");
        this.advance(stmtStart);
        return null;
    }
  }

  private atComma(context: string, follow: number): boolean {
    if (this.tok === T.COMMA) return true;
    if (this.tok !== follow) {
      let msg = "missing ','";
      if (this.tok === T.SEMICOLON && this.lit === '\n') msg += ' before newline';
      this.error(this.pos, msg + ' in ' + context);
      return true;
    }
    return false;
  }

  private advance(to: Set<number>): void {
    for (; this.tok !== T.EOF; this.next()) {
      if (to.has(this.tok)) {
        if (this.pos === this.syncPos && this.syncCnt < 10) {
          this.syncCnt++;
          return;
        }
        if (this.pos > this.syncPos) {
          this.syncPos = this.pos;
          this.syncCnt = 0;
          return;
        }
      }
    }
  }

  // ---- identifiers and lists ----

  private parseIdent(): ast.Ident {
    const p = this.pos;
    let name = '_';
    if (this.tok === T.IDENT) {
      name = this.lit;
      this.next();
    } else {
      this.expect(T.IDENT);
    }
    return ident(p, name);
  }

  private parseIdentList(): ast.Ident[] {
    const list = [this.parseIdent()];
    while (this.tok === T.COMMA) {
      this.next();
      list.push(this.parseIdent());
    }
    return list;
  }

  private parseExprList(): ast.Expr[] {
    const list = [this.parseExpr()];
    while (this.tok === T.COMMA) {
      this.next();
      list.push(this.parseExpr());
    }
    return list;
  }

  private parseList(inRhs: boolean): ast.Expr[] {
    const old = this.inRhs;
    this.inRhs = inRhs;
    const list = this.parseExprList();
    this.inRhs = old;
    return list;
  }

  // ---- types ----

  private parseType(): ast.Expr {
    const typ = this.tryIdentOrType();
    if (typ === null) {
      const p = this.pos;
      this.errorExpected(p, 'type');
      this.advance(exprEnd);
      return badExpr(p, this.pos);
    }
    return typ;
  }

  private parseQualifiedIdent(id: ast.Ident | null): ast.Expr {
    let typ = this.parseTypeName(id);
    if (this.tok === T.LBRACK) typ = this.parseTypeInstance(typ);
    return typ;
  }

  private parseTypeName(id: ast.Ident | null): ast.Expr {
    if (id === null) id = this.parseIdent();
    if (this.tok === T.PERIOD) {
      this.next();
      const sel = this.parseIdent();
      return { kind: 'SelectorExpr', x: id, sel };
    }
    return id;
  }

  private parseArrayType(lbrack: number, len: ast.Expr | null): ast.ArrayType {
    if (len === null) {
      this.exprLev++;
      if (this.tok === T.ELLIPSIS) {
        len = { kind: 'Ellipsis', ellipsis: this.pos, elt: null };
        this.next();
      } else if (this.tok !== T.RBRACK) {
        len = this.parseRhs();
      }
      this.exprLev--;
    }
    if (this.tok === T.COMMA) {
      this.error(this.pos, 'unexpected comma; expecting ]');
      this.next();
    }
    this.expect(T.RBRACK);
    const elt = this.parseType();
    return { kind: 'ArrayType', lbrack, len, elt };
  }

  private parseArrayFieldOrTypeInstance(x: ast.Ident): [ast.Ident | null, ast.Expr] {
    const lbrack = this.expect(T.LBRACK);
    let trailingComma = NOPOS;
    const args: ast.Expr[] = [];
    if (this.tok !== T.RBRACK) {
      this.exprLev++;
      args.push(this.parseRhs());
      while (this.tok === T.COMMA) {
        const comma = this.pos;
        this.next();
        if (this.tok === T.RBRACK) {
          trailingComma = comma;
          break;
        }
        args.push(this.parseRhs());
      }
      this.exprLev--;
    }
    const rbrack = this.expect(T.RBRACK);
    if (args.length === 0) {
      const elt = this.parseType();
      return [x, { kind: 'ArrayType', lbrack, len: null, elt }];
    }
    if (args.length === 1) {
      const elt = this.tryIdentOrType();
      if (elt !== null) {
        if (trailingComma !== NOPOS) this.error(trailingComma, 'unexpected comma; expecting ]');
        return [x, { kind: 'ArrayType', lbrack, len: args[0]!, elt }];
      }
    }
    return [null, packIndexExpr(x, lbrack, args, rbrack)];
  }

  private parseFieldDecl(): ast.Field {
    const doc = this.leadComment;
    let names: ast.Ident[] | null = null;
    let typ: ast.Expr;
    switch (this.tok) {
      case T.IDENT: {
        const name = this.parseIdent();
        if (this.tok === T.PERIOD || this.tok === T.STRING || this.tok === T.SEMICOLON || this.tok === T.RBRACE) {
          typ = name;
          if (this.tok === T.PERIOD) typ = this.parseQualifiedIdent(name);
        } else {
          names = [name];
          while (this.tok === T.COMMA) {
            this.next();
            names.push(this.parseIdent());
          }
          if (names.length === 1 && this.tok === T.LBRACK) {
            const [n, t] = this.parseArrayFieldOrTypeInstance(name);
            typ = t;
            if (n === null) names = null;
          } else {
            typ = this.parseType();
          }
        }
        break;
      }
      case T.MUL: {
        const star = this.pos;
        this.next();
        let x: ast.Expr;
        if (this.tok === T.LPAREN) {
          this.error(this.pos, 'cannot parenthesize embedded type');
          this.next();
          x = this.parseQualifiedIdent(null);
          if (this.tok === T.RPAREN) this.next();
        } else {
          x = this.parseQualifiedIdent(null);
        }
        typ = { kind: 'StarExpr', star, x };
        break;
      }
      case T.LPAREN: {
        this.error(this.pos, 'cannot parenthesize embedded type');
        this.next();
        if (this.tok === T.MUL) {
          const star = this.pos;
          this.next();
          typ = { kind: 'StarExpr', star, x: this.parseQualifiedIdent(null) };
        } else {
          typ = this.parseQualifiedIdent(null);
        }
        if (this.tok === T.RPAREN) this.next();
        break;
      }
      default: {
        const p = this.pos;
        this.errorExpected(p, 'field name or embedded type');
        this.advance(exprEnd);
        typ = badExpr(p, this.pos);
      }
    }
    let tag: ast.BasicLit | null = null;
    if (this.tok === T.STRING) {
      tag = { kind: 'BasicLit', valuePos: this.pos, valueEnd: this.stringEnd, tokKind: 'STRING', value: this.lit };
      this.next();
    }
    const comment = this.expectSemi();
    return { kind: 'Field', doc, names, type: typ, tag, comment };
  }

  private parseStructType(): ast.StructType {
    const p = this.expect(T.STRUCT);
    const lbrace = this.expect(T.LBRACE);
    const list: ast.Field[] = [];
    while (this.tok === T.IDENT || this.tok === T.MUL || this.tok === T.LPAREN) list.push(this.parseFieldDecl());
    const rbrace = this.expect(T.RBRACE);
    return {
      kind: 'StructType',
      struct: p,
      fields: { kind: 'FieldList', opening: lbrace, list: list.length ? list : null, closing: rbrace },
      incomplete: false,
    };
  }

  private parsePointerType(): ast.StarExpr {
    const star = this.expect(T.MUL);
    const base = this.parseType();
    return { kind: 'StarExpr', star, x: base };
  }

  private parseDotsType(): ast.Ellipsis {
    const p = this.expect(T.ELLIPSIS);
    const elt = this.parseType();
    return { kind: 'Ellipsis', ellipsis: p, elt };
  }

  private parseParamDecl(name: ast.Ident | null, typeSetsOK: boolean): Field {
    const f: Field = { name: null, typ: null };
    const ptok = this.tok;
    if (name !== null) {
      this.tok = T.IDENT; // force IDENT case below
    } else if (typeSetsOK && this.tok === T.TILDE) {
      return { name: null, typ: this.embeddedElem(null) };
    }
    switch (this.tok) {
      case T.IDENT:
        if (name !== null) {
          f.name = name;
          this.tok = ptok;
        } else {
          f.name = this.parseIdent();
        }
        switch (this.tok) {
          case T.IDENT: case T.MUL: case T.ARROW: case T.FUNC: case T.CHAN: case T.MAP: case T.STRUCT: case T.INTERFACE: case T.LPAREN:
            f.typ = this.parseType();
            break;
          case T.LBRACK: {
            const [n, t] = this.parseArrayFieldOrTypeInstance(f.name);
            f.name = n;
            f.typ = t;
            break;
          }
          case T.ELLIPSIS:
            f.typ = this.parseDotsType();
            return f;
          case T.PERIOD:
            f.typ = this.parseQualifiedIdent(f.name);
            f.name = null;
            break;
          case T.TILDE:
            if (typeSetsOK) {
              f.typ = this.embeddedElem(null);
              return f;
            }
            break;
          case T.OR:
            if (typeSetsOK) {
              f.typ = this.embeddedElem(f.name);
              f.name = null;
              return f;
            }
            break;
        }
        break;
      case T.MUL: case T.ARROW: case T.FUNC: case T.LBRACK: case T.CHAN: case T.MAP: case T.STRUCT: case T.INTERFACE: case T.LPAREN:
        f.typ = this.parseType();
        break;
      case T.ELLIPSIS:
        f.typ = this.parseDotsType();
        return f;
      default:
        this.errorExpected(this.pos, "')'");
        this.advance(exprEnd);
    }
    if (typeSetsOK && this.tok === T.OR && f.typ !== null) f.typ = this.embeddedElem(f.typ);
    return f;
  }

  private parseParameterList(name0: ast.Ident | null, typ0: ast.Expr | null, closing: number, dddok: boolean): ast.Field[] {
    const tparams = closing === T.RBRACK;
    let pos0 = this.pos;
    if (name0 !== null) pos0 = name0.namePos;
    else if (typ0 !== null) pos0 = nodePos(typ0);

    const list: Field[] = [];
    let named = 0;
    let typed = 0;
    while (name0 !== null || (this.tok !== closing && this.tok !== T.EOF)) {
      let par: Field;
      if (typ0 !== null) {
        if (tparams) typ0 = this.embeddedElem(typ0);
        par = { name: name0, typ: typ0 };
      } else {
        par = this.parseParamDecl(name0, tparams);
      }
      name0 = null;
      typ0 = null;
      if (par.name !== null || par.typ !== null) {
        list.push(par);
        if (par.name !== null && par.typ !== null) named++;
        if (par.typ !== null) typed++;
      }
      if (!this.atComma('parameter list', closing)) break;
      this.next();
    }
    if (list.length === 0) return [];

    if (named === 0) {
      // all unnamed => found names are type names
      for (const par of list) {
        if (par.name !== null) {
          par.typ = par.name;
          par.name = null;
        }
      }
      if (tparams) {
        let errPos: number;
        let msg: string;
        if (named === typed) {
          errPos = this.pos;
          msg = 'missing type constraint';
        } else {
          errPos = pos0;
          msg = 'missing type parameter name';
          if (list.length === 1) msg += ' or invalid array length';
        }
        this.error(errPos, msg);
      }
    } else if (named !== list.length) {
      // some named or we're in a type parameter list => all must be named
      let errPos = NOPOS;
      let typ: ast.Expr | null = null;
      for (let i = 0; i < list.length; i++) {
        const par = list[list.length - i - 1]!;
        if (par.typ !== null) {
          typ = par.typ;
          if (par.name === null) {
            errPos = nodePos(typ);
            par.name = ident(errPos, '_');
          }
        } else if (typ !== null) {
          par.typ = typ;
        } else {
          errPos = par.name!.namePos;
          par.typ = badExpr(errPos, this.pos);
        }
      }
      if (errPos !== NOPOS) {
        let msg: string;
        if (named === typed) {
          errPos = this.pos;
          msg = tparams ? 'missing type constraint' : 'missing parameter type';
        } else if (tparams) {
          msg = 'missing type parameter name';
          if (list.length === 1) msg += ' or invalid array length';
        } else {
          msg = 'missing parameter name';
        }
        this.error(errPos, msg);
      }
    }

    // check use of ...
    let first = true;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      const t = f.typ;
      if (t !== null && t.kind === 'Ellipsis' && (!dddok || i + 1 < list.length)) {
        if (first) {
          first = false;
          this.error(t.ellipsis, dddok ? 'can only use ... with final parameter' : 'invalid use of ...');
        }
        f.typ = badExpr(nodePos(t), nodeEnd(t));
      }
    }

    const params: ast.Field[] = [];
    if (named === 0) {
      for (const par of list) params.push({ kind: 'Field', doc: null, names: null, type: par.typ, tag: null, comment: null });
      return params;
    }
    let names: ast.Ident[] = [];
    let typ: ast.Expr | null = null;
    const addParams = () => {
      params.push({ kind: 'Field', doc: null, names, type: typ, tag: null, comment: null });
      names = [];
    };
    for (const par of list) {
      if (par.typ !== typ) {
        if (names.length > 0) addParams();
        typ = par.typ;
      }
      names.push(par.name!);
    }
    if (names.length > 0) addParams();
    return params;
  }

  private parseTypeParameters(): ast.FieldList | null {
    const lbrack = this.expect(T.LBRACK);
    let list: ast.Field[] = [];
    if (this.tok !== T.RBRACK) list = this.parseParameterList(null, null, T.RBRACK, false);
    const rbrack = this.expect(T.RBRACK);
    if (list.length === 0) {
      this.error(rbrack, 'empty type parameter list');
      return null;
    }
    return { kind: 'FieldList', opening: lbrack, list, closing: rbrack };
  }

  private parseParameters(result: boolean): ast.FieldList | null {
    if (!result || this.tok === T.LPAREN) {
      const lparen = this.expect(T.LPAREN);
      let list: ast.Field[] = [];
      if (this.tok !== T.RPAREN) list = this.parseParameterList(null, null, T.RPAREN, !result);
      const rparen = this.expect(T.RPAREN);
      return { kind: 'FieldList', opening: lparen, list: list.length ? list : null, closing: rparen };
    }
    const typ = this.tryIdentOrType();
    if (typ !== null) {
      return {
        kind: 'FieldList',
        opening: NOPOS,
        list: [{ kind: 'Field', doc: null, names: null, type: typ, tag: null, comment: null }],
        closing: NOPOS,
      };
    }
    return null;
  }

  private parseFuncType(): ast.FuncType {
    const p = this.expect(T.FUNC);
    if (this.tok === T.LBRACK) {
      const tparams = this.parseTypeParameters();
      if (tparams !== null) this.error(tparams.opening, 'function type must have no type parameters');
    }
    const params = this.parseParameters(false)!;
    const results = this.parseParameters(true);
    return { kind: 'FuncType', func: p, typeParams: null, params, results };
  }

  private parseMethodSpec(): ast.Field {
    const doc = this.leadComment;
    let idents: ast.Ident[] | null = null;
    let typ: ast.Expr;
    const x = this.parseTypeName(null);
    if (x.kind === 'Ident') {
      const id = x;
      if (this.tok === T.LBRACK) {
        // generic method or embedded instantiated type
        const lbrack = this.pos;
        this.next();
        this.exprLev++;
        const x2 = this.parseExpr();
        this.exprLev--;
        if (x2.kind === 'Ident' && this.tok !== T.COMMA && this.tok !== T.RBRACK) {
          // generic method m[T any]: an error, but parse it
          this.parseParameterList(x2, null, T.RBRACK, false);
          this.expect(T.RBRACK);
          this.error(lbrack, 'interface method must have no type parameters');
          const params = this.parseParameters(false)!;
          const results = this.parseParameters(true);
          idents = [id];
          typ = { kind: 'FuncType', func: NOPOS, typeParams: null, params, results };
        } else {
          // embedded instantiated type
          const list: ast.Expr[] = [x2];
          if (this.atComma('type argument list', T.RBRACK)) {
            this.exprLev++;
            this.next();
            while (this.tok !== T.RBRACK && this.tok !== T.EOF) {
              list.push(this.parseType());
              if (!this.atComma('type argument list', T.RBRACK)) break;
              this.next();
            }
            this.exprLev--;
          }
          const rbrack = this.expectClosing(T.RBRACK, 'type argument list');
          typ = packIndexExpr(id, lbrack, list, rbrack);
        }
      } else if (this.tok === T.LPAREN) {
        const params = this.parseParameters(false)!;
        const results = this.parseParameters(true);
        idents = [id];
        typ = { kind: 'FuncType', func: NOPOS, typeParams: null, params, results };
      } else {
        typ = x;
      }
    } else {
      typ = x;
      if (this.tok === T.LBRACK) typ = this.parseTypeInstance(typ);
    }
    return { kind: 'Field', doc, names: idents, type: typ, tag: null, comment: null };
  }

  private embeddedElem(x: ast.Expr | null): ast.Expr {
    if (x === null) x = this.embeddedTerm();
    while (this.tok === T.OR) {
      const opPos = this.pos;
      this.next();
      const y = this.embeddedTerm();
      x = { kind: 'BinaryExpr', x, opPos, op: '|', y };
    }
    return x;
  }

  private embeddedTerm(): ast.Expr {
    if (this.tok === T.TILDE) {
      const opPos = this.pos;
      this.next();
      const x = this.parseType();
      return { kind: 'UnaryExpr', opPos, op: '~', x };
    }
    const t = this.tryIdentOrType();
    if (t === null) {
      const p = this.pos;
      this.errorExpected(p, '~ term or type');
      this.advance(exprEnd);
      return badExpr(p, this.pos);
    }
    return t;
  }

  private parseInterfaceType(): ast.InterfaceType {
    const p = this.expect(T.INTERFACE);
    const lbrace = this.expect(T.LBRACE);
    const list: ast.Field[] = [];
    for (;;) {
      if (this.tok === T.IDENT) {
        const f = this.parseMethodSpec();
        if (f.names === null) f.type = this.embeddedElem(f.type);
        f.comment = this.expectSemi();
        list.push(f);
      } else if (this.tok === T.TILDE) {
        const typ = this.embeddedElem(null);
        const comment = this.expectSemi();
        list.push({ kind: 'Field', doc: null, names: null, type: typ, tag: null, comment });
      } else {
        const t = this.tryIdentOrType();
        if (t !== null) {
          const typ = this.embeddedElem(t);
          const comment = this.expectSemi();
          list.push({ kind: 'Field', doc: null, names: null, type: typ, tag: null, comment });
        } else {
          break;
        }
      }
    }
    const rbrace = this.expect(T.RBRACE);
    return {
      kind: 'InterfaceType',
      interface: p,
      methods: { kind: 'FieldList', opening: lbrace, list: list.length ? list : null, closing: rbrace },
      incomplete: false,
    };
  }

  private parseMapType(): ast.MapType {
    const p = this.expect(T.MAP);
    this.expect(T.LBRACK);
    const key = this.parseType();
    this.expect(T.RBRACK);
    const value = this.parseType();
    return { kind: 'MapType', map: p, key, value };
  }

  private parseChanType(): ast.ChanType {
    const p = this.pos;
    let dir: ast.ChanDir = 3;
    let arrow = NOPOS;
    if (this.tok === T.CHAN) {
      this.next();
      if (this.tok === T.ARROW) {
        arrow = this.pos;
        this.next();
        dir = SEND;
      }
    } else {
      arrow = this.expect(T.ARROW);
      this.expect(T.CHAN);
      dir = RECV;
    }
    const value = this.parseType();
    return { kind: 'ChanType', begin: p, arrow, dir, value };
  }

  private parseTypeInstance(typ: ast.Expr): ast.Expr {
    const opening = this.expect(T.LBRACK);
    this.exprLev++;
    const list: ast.Expr[] = [];
    while (this.tok !== T.RBRACK && this.tok !== T.EOF) {
      list.push(this.parseType());
      if (!this.atComma('type argument list', T.RBRACK)) break;
      this.next();
    }
    this.exprLev--;
    const closing = this.expectClosing(T.RBRACK, 'type argument list');
    if (list.length === 0) {
      this.errorExpected(closing, 'type argument list');
      return { kind: 'IndexExpr', x: typ, lbrack: opening, index: badExpr(opening + 1, closing), rbrack: closing };
    }
    return packIndexExpr(typ, opening, list, closing);
  }

  private tryIdentOrType(): ast.Expr | null {
    this.incNest();
    try {
      switch (this.tok) {
        case T.IDENT: {
          let typ = this.parseTypeName(null);
          if (this.tok === T.LBRACK) typ = this.parseTypeInstance(typ);
          return typ;
        }
        case T.LBRACK: {
          const lbrack = this.expect(T.LBRACK);
          return this.parseArrayType(lbrack, null);
        }
        case T.STRUCT: return this.parseStructType();
        case T.MUL: return this.parsePointerType();
        case T.FUNC: return this.parseFuncType();
        case T.INTERFACE: return this.parseInterfaceType();
        case T.MAP: return this.parseMapType();
        case T.CHAN:
        case T.ARROW:
          return this.parseChanType();
        case T.LPAREN: {
          const lparen = this.pos;
          this.next();
          const typ = this.parseType();
          const rparen = this.expect(T.RPAREN);
          return { kind: 'ParenExpr', lparen, x: typ, rparen };
        }
      }
      return null;
    } finally {
      this.nestLev--;
    }
  }

  // ---- blocks ----

  private parseStmtList(): ast.Stmt[] {
    const list: ast.Stmt[] = [];
    while (this.tok !== T.CASE && this.tok !== T.DEFAULT && this.tok !== T.RBRACE && this.tok !== T.EOF) {
      list.push(this.parseStmt());
    }
    return list;
  }

  private parseBody(): ast.BlockStmt {
    const lbrace = this.expect(T.LBRACE);
    const list = this.parseStmtList();
    const rbrace = this.expect2(T.RBRACE);
    return { kind: 'BlockStmt', lbrace, list: list.length ? list : null, rbrace };
  }

  private parseBlockStmt(): ast.BlockStmt {
    return this.parseBody();
  }

  // ---- expressions ----

  private parseFuncTypeOrLit(): ast.Expr {
    const typ = this.parseFuncType();
    if (this.tok !== T.LBRACE) return typ;
    // A function literal's statements say nothing about the declarations (mode 'declarations').
    if (this.skipBodies) return { kind: 'FuncLit', type: typ, body: this.skipBody() };
    this.exprLev++;
    const body = this.parseBody();
    this.exprLev--;
    return { kind: 'FuncLit', type: typ, body };
  }

  private parseOperand(): ast.Expr {
    switch (this.tok) {
      case T.IDENT:
        return this.parseIdent();
      case T.INT: case T.FLOAT: case T.IMAG: case T.CHAR: case T.STRING: {
        const tok = this.tok;
        const end = tok === T.STRING ? this.stringEnd : this.pos + utf8Len(this.lit);
        const x: ast.BasicLit = { kind: 'BasicLit', valuePos: this.pos, valueEnd: end, tokKind: T.tokenString[tok]!, value: this.lit };
        this.next();
        return x;
      }
      case T.LPAREN: {
        const lparen = this.pos;
        this.next();
        this.exprLev++;
        const x = this.parseRhs();
        this.exprLev--;
        const rparen = this.expect(T.RPAREN);
        return { kind: 'ParenExpr', lparen, x, rparen };
      }
      case T.FUNC:
        return this.parseFuncTypeOrLit();
    }
    const typ = this.tryIdentOrType();
    if (typ !== null) return typ;
    const p = this.pos;
    this.errorExpected(p, 'operand');
    this.advance(stmtStart);
    return badExpr(p, this.pos);
  }

  private parseSelector(x: ast.Expr): ast.Expr {
    const sel = this.parseIdent();
    return { kind: 'SelectorExpr', x, sel };
  }

  private parseTypeAssertion(x: ast.Expr): ast.Expr {
    const lparen = this.expect(T.LPAREN);
    let typ: ast.Expr | null = null;
    if (this.tok === T.TYPE) this.next();
    else typ = this.parseType();
    const rparen = this.expect(T.RPAREN);
    return { kind: 'TypeAssertExpr', x, lparen, type: typ, rparen };
  }

  private parseIndexOrSliceOrInstance(x: ast.Expr): ast.Expr {
    const lbrack = this.expect(T.LBRACK);
    if (this.tok === T.RBRACK) {
      this.errorExpected(this.pos, 'operand');
      const rbrack = this.pos;
      this.next();
      return { kind: 'IndexExpr', x, lbrack, index: badExpr(rbrack, rbrack), rbrack };
    }
    this.exprLev++;
    const args: ast.Expr[] = [];
    const index: (ast.Expr | null)[] = [null, null, null];
    const colons = [NOPOS, NOPOS];
    if (this.tok !== T.COLON) index[0] = this.parseRhs();
    let ncolons = 0;
    if (this.tok === T.COLON) {
      while (this.tok === T.COLON && ncolons < 2) {
        colons[ncolons] = this.pos;
        ncolons++;
        this.next();
        if (this.tok !== T.COLON && this.tok !== T.RBRACK && this.tok !== T.EOF) index[ncolons] = this.parseRhs();
      }
    } else if (this.tok === T.COMMA) {
      args.push(index[0]!);
      while (this.tok === T.COMMA) {
        this.next();
        if (this.tok !== T.RBRACK && this.tok !== T.EOF) args.push(this.parseType());
      }
    }
    this.exprLev--;
    const rbrack = this.expect(T.RBRACK);
    if (ncolons > 0) {
      let slice3 = false;
      if (ncolons === 2) {
        slice3 = true;
        if (index[1] === null) {
          this.error(colons[0]!, 'middle index required in 3-index slice');
          index[1] = badExpr(colons[0]! + 1, colons[1]!);
        }
        if (index[2] === null) {
          this.error(colons[1]!, 'final index required in 3-index slice');
          index[2] = badExpr(colons[1]! + 1, rbrack);
        }
      }
      return { kind: 'SliceExpr', x, lbrack, low: index[0]!, high: index[1]!, max: index[2]!, slice3, rbrack };
    }
    if (args.length === 0) return { kind: 'IndexExpr', x, lbrack, index: index[0]!, rbrack };
    return packIndexExpr(x, lbrack, args, rbrack);
  }

  private parseCallOrConversion(fun: ast.Expr): ast.CallExpr {
    const lparen = this.expect(T.LPAREN);
    this.exprLev++;
    const list: ast.Expr[] = [];
    let ellipsis = NOPOS;
    while (this.tok !== T.RPAREN && this.tok !== T.EOF && ellipsis === NOPOS) {
      list.push(this.parseRhs());
      if (this.tok === T.ELLIPSIS) {
        ellipsis = this.pos;
        this.next();
      }
      if (!this.atComma('argument list', T.RPAREN)) break;
      this.next();
    }
    this.exprLev--;
    const rparen = this.expectClosing(T.RPAREN, 'argument list');
    return { kind: 'CallExpr', fun, lparen, args: list.length ? list : null, ellipsis, rparen };
  }

  private parseValue(): ast.Expr {
    if (this.tok === T.LBRACE) return this.parseLiteralValue(null);
    return this.parseExpr();
  }

  private parseElement(): ast.Expr {
    const x = this.parseValue();
    if (this.tok === T.COLON) {
      const colon = this.pos;
      this.next();
      return { kind: 'KeyValueExpr', key: x, colon, value: this.parseValue() };
    }
    return x;
  }

  private parseElementList(): ast.Expr[] {
    const list: ast.Expr[] = [];
    while (this.tok !== T.RBRACE && this.tok !== T.EOF) {
      list.push(this.parseElement());
      if (!this.atComma('composite literal', T.RBRACE)) break;
      this.next();
    }
    return list;
  }

  private parseLiteralValue(typ: ast.Expr | null): ast.Expr {
    // Mode 'declarations': a composite literal's type is its written type, so its elements are
    // skipped (package-level tables are much of an imported package's text), unless the type is
    // [...]T, whose length the elements give.
    if (this.skipBodies && typ !== null && !(typ.kind === 'ArrayType' && typ.len?.kind === 'Ellipsis')) {
      const b = this.skipBody();
      return { kind: 'CompositeLit', type: typ, lbrace: b.lbrace, elts: null, rbrace: b.rbrace, incomplete: true };
    }
    this.incNest();
    try {
      const lbrace = this.expect(T.LBRACE);
      let elts: ast.Expr[] = [];
      this.exprLev++;
      if (this.tok !== T.RBRACE) elts = this.parseElementList();
      this.exprLev--;
      const rbrace = this.expectClosing(T.RBRACE, 'composite literal');
      return { kind: 'CompositeLit', type: typ, lbrace, elts: elts.length ? elts : null, rbrace, incomplete: false };
    } finally {
      this.nestLev--;
    }
  }

  private parsePrimaryExpr(x: ast.Expr | null): ast.Expr {
    if (x === null) x = this.parseOperand();
    let n = 0;
    try {
      for (;;) {
        n++;
        this.incNest();
        switch (this.tok) {
          case T.PERIOD:
            this.next();
            if (this.tok === T.IDENT) {
              x = this.parseSelector(x);
            } else if (this.tok === T.LPAREN) {
              x = this.parseTypeAssertion(x);
            } else {
              const p = this.pos;
              this.errorExpected(p, 'selector or type assertion');
              if (this.tok !== T.RBRACE) this.next();
              x = { kind: 'SelectorExpr', x, sel: ident(p, '_') };
            }
            break;
          case T.LBRACK:
            x = this.parseIndexOrSliceOrInstance(x);
            break;
          case T.LPAREN:
            x = this.parseCallOrConversion(x);
            break;
          case T.LBRACE: {
            const t = unparen(x);
            switch (t.kind) {
              case 'BadExpr': case 'Ident': case 'SelectorExpr':
                if (this.exprLev < 0) return x;
                break;
              case 'IndexExpr': case 'IndexListExpr':
                if (this.exprLev < 0) return x;
                break;
              case 'ArrayType': case 'StructType': case 'MapType':
                break;
              default:
                return x;
            }
            if (t !== x) this.error(nodePos(t), 'cannot parenthesize type in composite literal');
            x = this.parseLiteralValue(x);
            break;
          }
          default:
            return x;
        }
      }
    } finally {
      this.nestLev -= n;
    }
  }

  private parseUnaryExpr(): ast.Expr {
    this.incNest();
    try {
      switch (this.tok) {
        case T.ADD: case T.SUB: case T.NOT: case T.XOR: case T.AND: case T.TILDE: {
          const p = this.pos;
          const op = T.tokenString[this.tok]!;
          this.next();
          const x = this.parseUnaryExpr();
          return { kind: 'UnaryExpr', opPos: p, op, x };
        }
        case T.ARROW: {
          let arrow = this.pos;
          this.next();
          const x = this.parseUnaryExpr();
          if (x.kind === 'ChanType') {
            // (<-type) => (<-chan type)
            let typ: ast.ChanType | null = x;
            let dir: number = SEND;
            while (typ !== null && dir === SEND) {
              if (typ.dir === RECV) this.errorExpected(typ.arrow, "'chan'");
              const a = typ.arrow;
              typ.begin = arrow;
              typ.arrow = arrow;
              arrow = a;
              dir = typ.dir;
              typ.dir = RECV;
              typ = typ.value.kind === 'ChanType' ? typ.value : null;
            }
            if (dir === SEND) this.errorExpected(arrow, 'channel type');
            return x;
          }
          return { kind: 'UnaryExpr', opPos: arrow, op: '<-', x };
        }
        case T.MUL: {
          const p = this.pos;
          this.next();
          const x = this.parseUnaryExpr();
          return { kind: 'StarExpr', star: p, x };
        }
      }
      return this.parsePrimaryExpr(null);
    } finally {
      this.nestLev--;
    }
  }

  private parseBinaryExpr(x: ast.Expr | null, prec1: number): ast.Expr {
    if (x === null) x = this.parseUnaryExpr();
    let n = 0;
    try {
      for (;;) {
        n++;
        this.incNest();
        let op = this.tok;
        if (this.inRhs && op === T.ASSIGN) op = T.EQL;
        const oprec = T.precedence[op]!;
        if (oprec < prec1 || oprec === 0) return x;
        const p = this.expect(op);
        const y = this.parseBinaryExpr(null, oprec + 1);
        x = { kind: 'BinaryExpr', x, opPos: p, op: T.tokenString[op]!, y };
      }
    } finally {
      this.nestLev -= n;
    }
  }

  parseExpr(): ast.Expr {
    return this.parseBinaryExpr(null, T.LOWEST_PREC + 1);
  }

  parseRhs(): ast.Expr {
    const old = this.inRhs;
    this.inRhs = true;
    const x = this.parseExpr();
    this.inRhs = old;
    return x;
  }

  // ---- statements ----

  /** Set by parseSimpleStmt: whether the statement was a range clause. */
  private lastIsRange = false;

  private parseSimpleStmt(mode: number): ast.Stmt {
    this.lastIsRange = false;
    const x = this.parseList(false);
    switch (this.tok) {
      case T.DEFINE: case T.ASSIGN: case T.ADD_ASSIGN: case T.SUB_ASSIGN: case T.MUL_ASSIGN: case T.QUO_ASSIGN:
      case T.REM_ASSIGN: case T.AND_ASSIGN: case T.OR_ASSIGN: case T.XOR_ASSIGN: case T.SHL_ASSIGN: case T.SHR_ASSIGN:
      case T.AND_NOT_ASSIGN: {
        const p = this.pos;
        const tok = this.tok;
        this.next();
        let y: ast.Expr[];
        let isRange = false;
        if (mode === RANGE_OK && this.tok === T.RANGE && (tok === T.DEFINE || tok === T.ASSIGN)) {
          const rp = this.pos;
          this.next();
          y = [{ kind: 'UnaryExpr', opPos: rp, op: 'range', x: this.parseRhs() }];
          isRange = true;
        } else {
          y = this.parseList(true);
        }
        this.lastIsRange = isRange;
        return { kind: 'AssignStmt', lhs: x, tokPos: p, tok: T.tokenString[tok]!, rhs: y };
      }
    }
    if (x.length > 1) this.errorExpected(nodePos(x[0]!), '1 expression');
    switch (this.tok) {
      case T.COLON: {
        const colon = this.pos;
        this.next();
        const label = x[0]!;
        if (mode === LABEL_OK && label.kind === 'Ident') {
          return { kind: 'LabeledStmt', label, colon, stmt: this.parseStmt() };
        }
        this.error(colon, 'illegal label declaration');
        return { kind: 'BadStmt', from: nodePos(x[0]!), to: colon + 1 };
      }
      case T.ARROW: {
        const arrow = this.pos;
        this.next();
        const y = this.parseRhs();
        return { kind: 'SendStmt', chan: x[0]!, arrow, value: y };
      }
      case T.INC:
      case T.DEC: {
        const s: ast.IncDecStmt = { kind: 'IncDecStmt', x: x[0]!, tokPos: this.pos, tok: T.tokenString[this.tok]! };
        this.next();
        return s;
      }
    }
    return { kind: 'ExprStmt', x: x[0]! };
  }

  private parseCallExpr(callType: string): ast.CallExpr | null {
    let x = this.parseRhs();
    const t = unparen(x);
    if (t !== x) {
      this.error(nodePos(x), `expression in ${callType} must not be parenthesized`);
      x = t;
    }
    if (x.kind === 'CallExpr') return x;
    if (x.kind !== 'BadExpr') this.error(nodeEnd(x), `expression in ${callType} must be function call`);
    return null;
  }

  private parseGoStmt(): ast.Stmt {
    const p = this.expect(T.GO);
    const call = this.parseCallExpr('go');
    this.expectSemi();
    if (call === null) return { kind: 'BadStmt', from: p, to: p + 2 };
    return { kind: 'GoStmt', go: p, call };
  }

  private parseDeferStmt(): ast.Stmt {
    const p = this.expect(T.DEFER);
    const call = this.parseCallExpr('defer');
    this.expectSemi();
    if (call === null) return { kind: 'BadStmt', from: p, to: p + 5 };
    return { kind: 'DeferStmt', defer: p, call };
  }

  private parseReturnStmt(): ast.ReturnStmt {
    const p = this.pos;
    this.expect(T.RETURN);
    let x: ast.Expr[] | null = null;
    if (this.tok !== T.SEMICOLON && this.tok !== T.RBRACE) x = this.parseList(true);
    this.expectSemi();
    return { kind: 'ReturnStmt', return: p, results: x };
  }

  private parseBranchStmt(tok: number): ast.BranchStmt {
    const p = this.expect(tok);
    let label: ast.Ident | null = null;
    if (tok === T.GOTO || ((tok === T.CONTINUE || tok === T.BREAK) && this.tok === T.IDENT)) label = this.parseIdent();
    this.expectSemi();
    return { kind: 'BranchStmt', tokPos: p, tok: T.tokenString[tok]!, label };
  }

  private makeExpr(s: ast.Stmt | null, want: string): ast.Expr | null {
    if (s === null) return null;
    if (s.kind === 'ExprStmt') return s.x;
    const found = s.kind === 'AssignStmt' ? 'assignment' : 'simple statement';
    this.error(nodePos(s), `expected ${want}, found ${found} (missing parentheses around composite literal?)`);
    return badExpr(nodePos(s), nodeEnd(s));
  }

  private parseIfHeader(): [ast.Stmt | null, ast.Expr] {
    let init: ast.Stmt | null = null;
    let cond: ast.Expr | null = null;
    if (this.tok === T.LBRACE) {
      this.error(this.pos, 'missing condition in if statement');
      return [null, badExpr(this.pos, this.pos)];
    }
    const prevLev = this.exprLev;
    this.exprLev = -1;
    if (this.tok !== T.SEMICOLON) {
      if (this.tok === T.VAR) {
        this.next();
        this.error(this.pos, 'var declaration not allowed in if initializer');
      }
      init = this.parseSimpleStmt(BASIC);
    }
    let condStmt: ast.Stmt | null = null;
    let semiPos = NOPOS;
    let semiLit = '';
    if (this.tok !== T.LBRACE) {
      if (this.tok === T.SEMICOLON) {
        semiPos = this.pos;
        semiLit = this.lit;
        this.next();
      } else {
        this.expect(T.SEMICOLON);
      }
      if (this.tok !== T.LBRACE) condStmt = this.parseSimpleStmt(BASIC);
    } else {
      condStmt = init;
      init = null;
    }
    if (condStmt !== null) {
      cond = this.makeExpr(condStmt, 'boolean expression');
    } else if (semiPos !== NOPOS) {
      if (semiLit === '\n') this.error(semiPos, 'unexpected newline, expecting { after if clause');
      else this.error(semiPos, 'missing condition in if statement');
    }
    if (cond === null) cond = badExpr(this.pos, this.pos);
    this.exprLev = prevLev;
    return [init, cond];
  }

  private parseIfStmt(): ast.IfStmt {
    this.incNest();
    try {
      const p = this.expect(T.IF);
      const [init, cond] = this.parseIfHeader();
      const body = this.parseBlockStmt();
      let else_: ast.Stmt | null = null;
      if (this.tok === T.ELSE) {
        this.next();
        if (this.tok === T.IF) {
          else_ = this.parseIfStmt();
        } else if (this.tok === T.LBRACE) {
          else_ = this.parseBlockStmt();
          this.expectSemi();
        } else {
          this.errorExpected(this.pos, 'if statement or block');
          else_ = { kind: 'BadStmt', from: this.pos, to: this.pos };
        }
      } else {
        this.expectSemi();
      }
      return { kind: 'IfStmt', if: p, init, cond, body, else: else_ };
    } finally {
      this.nestLev--;
    }
  }

  private parseCaseClause(): ast.CaseClause {
    const p = this.pos;
    let list: ast.Expr[] | null = null;
    if (this.tok === T.CASE) {
      this.next();
      list = this.parseList(true);
    } else {
      this.expect(T.DEFAULT);
    }
    const colon = this.expect(T.COLON);
    const body = this.parseStmtList();
    return { kind: 'CaseClause', case: p, list, colon, body: body.length ? body : null };
  }

  private isTypeSwitchGuard(s: ast.Stmt | null): boolean {
    if (s === null) return false;
    if (s.kind === 'ExprStmt') return isTypeSwitchAssert(s.x);
    if (s.kind === 'AssignStmt') {
      if (s.lhs.length === 1 && s.rhs.length === 1 && isTypeSwitchAssert(s.rhs[0]!)) {
        if (s.tok === '=') {
          this.error(s.tokPos, "expected ':=', found '='");
          return true;
        }
        if (s.tok === ':=') return true;
      }
    }
    return false;
  }

  private parseSwitchStmt(): ast.Stmt {
    const p = this.expect(T.SWITCH);
    let s1: ast.Stmt | null = null;
    let s2: ast.Stmt | null = null;
    if (this.tok !== T.LBRACE) {
      const prevLev = this.exprLev;
      this.exprLev = -1;
      if (this.tok !== T.SEMICOLON) s2 = this.parseSimpleStmt(BASIC);
      if (this.tok === T.SEMICOLON) {
        this.next();
        s1 = s2;
        s2 = null;
        if (this.tok !== T.LBRACE) s2 = this.parseSimpleStmt(BASIC);
      }
      this.exprLev = prevLev;
    }
    const typeSwitch = this.isTypeSwitchGuard(s2);
    const lbrace = this.expect(T.LBRACE);
    const list: ast.Stmt[] = [];
    while (this.tok === T.CASE || this.tok === T.DEFAULT) list.push(this.parseCaseClause());
    const rbrace = this.expect(T.RBRACE);
    this.expectSemi();
    const body: ast.BlockStmt = { kind: 'BlockStmt', lbrace, list: list.length ? list : null, rbrace };
    if (typeSwitch) return { kind: 'TypeSwitchStmt', switch: p, init: s1, assign: s2!, body };
    return { kind: 'SwitchStmt', switch: p, init: s1, tag: this.makeExpr(s2, 'switch expression'), body };
  }

  private parseCommClause(): ast.CommClause {
    const p = this.pos;
    let comm: ast.Stmt | null = null;
    if (this.tok === T.CASE) {
      this.next();
      let lhs = this.parseList(false);
      if (this.tok === T.ARROW) {
        if (lhs.length > 1) this.errorExpected(nodePos(lhs[0]!), '1 expression');
        const arrow = this.pos;
        this.next();
        const rhs = this.parseRhs();
        comm = { kind: 'SendStmt', chan: lhs[0]!, arrow, value: rhs };
      } else {
        const tok = this.tok;
        if (tok === T.ASSIGN || tok === T.DEFINE) {
          if (lhs.length > 2) {
            this.errorExpected(nodePos(lhs[0]!), '1 or 2 expressions');
            lhs = lhs.slice(0, 2);
          }
          const ap = this.pos;
          this.next();
          const rhs = this.parseRhs();
          comm = { kind: 'AssignStmt', lhs, tokPos: ap, tok: T.tokenString[tok]!, rhs: [rhs] };
        } else {
          if (lhs.length > 1) this.errorExpected(nodePos(lhs[0]!), '1 expression');
          comm = { kind: 'ExprStmt', x: lhs[0]! };
        }
      }
    } else {
      this.expect(T.DEFAULT);
    }
    const colon = this.expect(T.COLON);
    const body = this.parseStmtList();
    return { kind: 'CommClause', case: p, comm, colon, body: body.length ? body : null };
  }

  private parseSelectStmt(): ast.SelectStmt {
    const p = this.expect(T.SELECT);
    const lbrace = this.expect(T.LBRACE);
    const list: ast.Stmt[] = [];
    while (this.tok === T.CASE || this.tok === T.DEFAULT) list.push(this.parseCommClause());
    const rbrace = this.expect(T.RBRACE);
    this.expectSemi();
    return { kind: 'SelectStmt', select: p, body: { kind: 'BlockStmt', lbrace, list: list.length ? list : null, rbrace } };
  }

  private parseForStmt(): ast.Stmt {
    const p = this.expect(T.FOR);
    let s1: ast.Stmt | null = null;
    let s2: ast.Stmt | null = null;
    let s3: ast.Stmt | null = null;
    let isRange = false;
    if (this.tok !== T.LBRACE) {
      const prevLev = this.exprLev;
      this.exprLev = -1;
      if (this.tok !== T.SEMICOLON) {
        if (this.tok === T.RANGE) {
          // "for range x" (nil lhs in assignment)
          const rp = this.pos;
          this.next();
          const y: ast.Expr[] = [{ kind: 'UnaryExpr', opPos: rp, op: 'range', x: this.parseRhs() }];
          s2 = { kind: 'AssignStmt', lhs: [], tokPos: NOPOS, tok: 'ILLEGAL', rhs: y };
          isRange = true;
        } else {
          s2 = this.parseSimpleStmt(RANGE_OK);
          isRange = this.lastIsRange;
        }
      }
      if (!isRange && this.tok === T.SEMICOLON) {
        this.next();
        s1 = s2;
        s2 = null;
        if (this.tok !== T.SEMICOLON) s2 = this.parseSimpleStmt(BASIC);
        this.expectSemi();
        if (this.tok !== T.LBRACE) s3 = this.parseSimpleStmt(BASIC);
      }
      this.exprLev = prevLev;
    }
    const body = this.parseBlockStmt();
    this.expectSemi();
    if (isRange) {
      const as = s2 as ast.AssignStmt;
      let key: ast.Expr | null = null;
      let value: ast.Expr | null = null;
      switch (as.lhs.length) {
        case 0: break;
        case 1: key = as.lhs[0]!; break;
        case 2: key = as.lhs[0]!; value = as.lhs[1]!; break;
        default:
          this.errorExpected(nodePos(as.lhs[as.lhs.length - 1]!), 'at most 2 expressions');
          return { kind: 'BadStmt', from: p, to: nodeEnd(body) };
      }
      const r = as.rhs[0] as ast.UnaryExpr;
      return { kind: 'RangeStmt', for: p, key, value, tokPos: as.tokPos, tok: as.tok, range: r.opPos, x: r.x, body };
    }
    return { kind: 'ForStmt', for: p, init: s1, cond: this.makeExpr(s2, 'boolean or range expression'), post: s3, body };
  }

  private parseStmt(): ast.Stmt {
    this.incNest();
    try {
      switch (this.tok) {
        case T.CONST: case T.TYPE: case T.VAR:
          return { kind: 'DeclStmt', decl: this.parseDecl(stmtStart) };
        case T.IDENT: case T.INT: case T.FLOAT: case T.IMAG: case T.CHAR: case T.STRING: case T.FUNC: case T.LPAREN:
        case T.LBRACK: case T.STRUCT: case T.MAP: case T.CHAN: case T.INTERFACE:
        case T.ADD: case T.SUB: case T.MUL: case T.AND: case T.XOR: case T.ARROW: case T.NOT: {
          const s = this.parseSimpleStmt(LABEL_OK);
          if (s.kind !== 'LabeledStmt') this.expectSemi();
          return s;
        }
        case T.GO: return this.parseGoStmt();
        case T.DEFER: return this.parseDeferStmt();
        case T.RETURN: return this.parseReturnStmt();
        case T.BREAK: case T.CONTINUE: case T.GOTO: case T.FALLTHROUGH:
          return this.parseBranchStmt(this.tok);
        case T.LBRACE: {
          const s = this.parseBlockStmt();
          this.expectSemi();
          return s;
        }
        case T.IF: return this.parseIfStmt();
        case T.SWITCH: return this.parseSwitchStmt();
        case T.SELECT: return this.parseSelectStmt();
        case T.FOR: return this.parseForStmt();
        case T.SEMICOLON: {
          const s: ast.EmptyStmt = { kind: 'EmptyStmt', semicolon: this.pos, implicit: this.lit === '\n' };
          this.next();
          return s;
        }
        case T.RBRACE:
          return { kind: 'EmptyStmt', semicolon: this.pos, implicit: true };
        default: {
          const p = this.pos;
          this.errorExpected(p, 'statement');
          this.advance(stmtStart);
          return { kind: 'BadStmt', from: p, to: this.pos };
        }
      }
    } finally {
      this.nestLev--;
    }
  }

  // ---- declarations ----

  private parseImportSpec(doc: ast.CommentGroup | null): ast.Spec {
    let id: ast.Ident | null = null;
    if (this.tok === T.IDENT) {
      id = this.parseIdent();
    } else if (this.tok === T.PERIOD) {
      id = ident(this.pos, '.');
      this.next();
    }
    const p = this.pos;
    let end = this.pos;
    let path = '';
    if (this.tok === T.STRING) {
      path = this.lit;
      end = this.stringEnd;
      this.next();
    } else if (T.isLiteral(this.tok)) {
      this.error(p, 'import path must be a string');
      this.next();
    } else {
      this.error(p, 'missing import path');
      this.advance(exprEnd);
    }
    const comment = this.expectSemi();
    const spec: ast.ImportSpec = {
      kind: 'ImportSpec',
      doc,
      name: id,
      path: { kind: 'BasicLit', valuePos: p, valueEnd: end, tokKind: 'STRING', value: path },
      comment,
      endPos: NOPOS,
    };
    this.imports.push(spec);
    return spec;
  }

  private parseValueSpec(doc: ast.CommentGroup | null, keyword: number): ast.Spec {
    const idents = this.parseIdentList();
    let typ: ast.Expr | null = null;
    let values: ast.Expr[] | null = null;
    if (keyword === T.CONST) {
      if (this.tok !== T.EOF && this.tok !== T.SEMICOLON && this.tok !== T.RPAREN) {
        typ = this.tryIdentOrType();
        if (this.tok === T.ASSIGN) {
          this.next();
          values = this.parseList(true);
        }
      }
    } else {
      if (this.tok !== T.ASSIGN) typ = this.parseType();
      if (this.tok === T.ASSIGN) {
        this.next();
        values = this.parseList(true);
      }
    }
    const comment = this.expectSemi();
    return { kind: 'ValueSpec', doc, names: idents, type: typ, values, comment };
  }

  private parseGenericType(spec: ast.TypeSpec, openPos: number, name0: ast.Ident, typ0: ast.Expr | null): void {
    const list = this.parseParameterList(name0, typ0, T.RBRACK, false);
    const closePos = this.expect(T.RBRACK);
    spec.typeParams = { kind: 'FieldList', opening: openPos, list: list.length ? list : null, closing: closePos };
    if (this.tok === T.ASSIGN) {
      spec.assign = this.pos;
      this.next();
    }
    spec.type = this.parseType();
  }

  private parseTypeSpec(doc: ast.CommentGroup | null): ast.Spec {
    const name = this.parseIdent();
    const spec: ast.TypeSpec = {
      kind: 'TypeSpec',
      doc,
      name,
      typeParams: null,
      assign: NOPOS,
      type: null as unknown as ast.Expr,
      comment: null,
    };
    if (this.tok === T.LBRACK) {
      const lbrack = this.pos;
      this.next();
      if (this.tok === T.IDENT) {
        let x: ast.Expr = this.parseIdent();
        if (this.tok !== T.LBRACK) {
          this.exprLev++;
          const lhs = this.parsePrimaryExpr(x);
          x = this.parseBinaryExpr(lhs, T.LOWEST_PREC + 1);
          this.exprLev--;
        }
        const [pname, ptype] = extractName(x, this.tok === T.COMMA);
        if (pname !== null && (ptype !== null || this.tok !== T.RBRACK)) {
          this.parseGenericType(spec, lbrack, pname, ptype);
        } else {
          spec.type = this.parseArrayType(lbrack, x);
        }
      } else {
        spec.type = this.parseArrayType(lbrack, null);
      }
    } else {
      if (this.tok === T.ASSIGN) {
        spec.assign = this.pos;
        this.next();
      }
      spec.type = this.parseType();
    }
    spec.comment = this.expectSemi();
    return spec;
  }

  private parseSpec(doc: ast.CommentGroup | null, keyword: number): ast.Spec {
    switch (keyword) {
      case T.IMPORT: return this.parseImportSpec(doc);
      case T.TYPE: return this.parseTypeSpec(doc);
      default: return this.parseValueSpec(doc, keyword);
    }
  }

  private parseGenDecl(keyword: number): ast.GenDecl {
    const doc = this.leadComment;
    const p = this.expect(keyword);
    let lparen = NOPOS;
    let rparen = NOPOS;
    const list: ast.Spec[] = [];
    if (this.tok === T.LPAREN) {
      lparen = this.pos;
      this.next();
      while (this.tok !== T.RPAREN && this.tok !== T.EOF) list.push(this.parseSpec(this.leadComment, keyword));
      rparen = this.expect(T.RPAREN);
      this.expectSemi();
    } else {
      list.push(this.parseSpec(null, keyword));
    }
    return { kind: 'GenDecl', doc, tokPos: p, tok: T.tokenString[keyword]!, lparen, specs: list.length ? list : null, rparen };
  }

  private parseFuncDecl(): ast.FuncDecl {
    const doc = this.leadComment;
    const p = this.expect(T.FUNC);
    let recv: ast.FieldList | null = null;
    if (this.tok === T.LPAREN) recv = this.parseParameters(false);
    const id = this.parseIdent();
    let tparams: ast.FieldList | null = null;
    if (this.tok === T.LBRACK) {
      tparams = this.parseTypeParameters();
      if (recv !== null && tparams !== null) {
        this.error(tparams.opening, 'method must have no type parameters');
        tparams = null;
      }
    }
    const params = this.parseParameters(false)!;
    const results = this.parseParameters(true);
    let body: ast.BlockStmt | null = null;
    switch (this.tok) {
      case T.LBRACE:
        body = this.skipBodies ? this.skipBody() : this.parseBody();
        this.expectSemi();
        break;
      case T.SEMICOLON:
        this.next();
        if (this.tok === T.LBRACE) {
          this.error(this.pos, 'unexpected semicolon or newline before {');
          body = this.parseBody();
          this.expectSemi();
        }
        break;
      default:
        this.expectSemi();
    }
    return {
      kind: 'FuncDecl',
      doc,
      recv,
      name: id,
      type: { kind: 'FuncType', func: p, typeParams: tparams, params, results },
      body,
    };
  }

  private parseDecl(sync: Set<number>): ast.Decl {
    switch (this.tok) {
      case T.IMPORT: case T.CONST: case T.VAR: case T.TYPE:
        return this.parseGenDecl(this.tok);
      case T.FUNC:
        return this.parseFuncDecl();
      default: {
        const p = this.pos;
        this.errorExpected(p, 'declaration');
        this.advance(sync);
        return { kind: 'BadDecl', from: p, to: this.pos };
      }
    }
  }

  /**
   * Mode 'declarations': function bodies, function literals' bodies and composite literals'
   * elements (except in [...]T{...}) are skipped by matching braces.
   */
  skipBodies = false;
  /** Drops comments (option comments: false). */
  skipComments = false;

  private skipBody(): ast.BlockStmt {
    const lbrace = this.pos;
    const sc = this.sc;
    // Straight to the matching '}' (or EOF): the loop below then sees it first.
    sc.skipBlock();
    let depth = 1;
    for (;;) {
      sc.scan();
      const t = sc.tok;
      if (t === T.LBRACE) depth++;
      else if (t === T.RBRACE) {
        if (--depth === 0) break;
      } else if (t === T.EOF) {
        this.pos = sc.pos;
        this.tok = t;
        this.lit = '';
        this.errorExpected(this.pos, "'}'");
        return { kind: 'BlockStmt', lbrace, list: null, rbrace: NOPOS };
      }
    }
    const rbrace = sc.pos;
    this.pos = rbrace;
    this.tok = T.RBRACE;
    this.lit = '';
    this.next();
    return { kind: 'BlockStmt', lbrace, list: null, rbrace };
  }

  // ---- file ----

  doc: ast.CommentGroup | null = null;
  packagePos = NOPOS;
  name: ast.Ident = ident(NOPOS, '');

  parseFile(mode: 'full' | 'declarations' | 'imports' | 'package'): void {
    this.skipBodies = mode === 'declarations';
    // Don't bother parsing the rest if we had errors scanning the first token.
    if (this.allErrorCount() !== 0) return;
    this.doc = this.leadComment;
    this.packagePos = this.expect(T.PACKAGE);
    this.name = this.parseIdent();
    this.expectSemi();
    if (this.allErrorCount() !== 0) return;
    if (mode === 'package') return;
    while (this.tok === T.IMPORT) this.decls.push(this.parseGenDecl(T.IMPORT));
    if (mode === 'imports') return;
    let prev = T.IMPORT;
    while (this.tok !== T.EOF) {
      if (this.tok === T.IMPORT && prev !== T.IMPORT) this.error(this.pos, 'imports must appear before other declarations');
      prev = this.tok;
      this.decls.push(this.parseDecl(declStart));
    }
  }

  /** After a lone expression: an optional newline, then EOF. */
  expectEOF(): void {
    if (this.tok === T.SEMICOLON && this.lit === '\n') this.next();
    this.expect(T.EOF);
  }
}

/** Parses one Go source file. Never throws. */
export function parseFile(filename: string, src: Uint8Array | string, opts: ParseOptions = {}): ParseResult {
  const bytes = typeof src === 'string' ? encodeUtf8(src) : src;
  const source = new SourceFile(filename, bytes);
  const sc = new Scanner(filename, bytes);
  const maxNest = opts.maxNesting ?? DEFAULT_MAX_NESTING;
  let p: Parser | null = null;
  const errs: { offset: number; message: string }[] = [];
  try {
    p = new Parser(sc, source, maxNest, opts.comments === false);
    p.parseFile(opts.mode ?? 'full');
  } catch (e) {
    if (e instanceof Bailout) {
      if (e.message && p && !p.errors.some((x) => x.message === e.message)) errs.push({ offset: e.offset, message: e.message });
    } else if (e instanceof RangeError) {
      errs.push({ offset: sc.pos, message: 'exceeded max nesting depth (stack exhausted)' });
    } else {
      errs.push({ offset: sc.pos, message: `internal parser error: ${(e as Error).message}` });
    }
  }
  const all = [...(p ? p.errors : []), ...sc.errors, ...errs];
  all.sort((a, b) => a.offset - b.offset);
  const errors: SyntaxErr[] = all.map((e) => {
    const ps = source.position(Math.max(0, e.offset));
    return { offset: e.offset, line: ps.line, column: ps.column, message: e.message };
  });
  const file: ast.File = {
    kind: 'File',
    doc: p ? p.doc : null,
    package: p ? p.packagePos : NOPOS,
    name: p ? p.name : ident(NOPOS, ''),
    decls: p && p.decls.length ? p.decls : null,
    fileStart: 0,
    fileEnd: bytes.length,
    imports: p ? p.imports : [],
    comments: p && p.comments.length ? p.comments : null,
    goVersion: p ? p.goVersion : '',
  };
  return { file, errors, source, lineDirectives: sc.lineDirectives };
}

/** Parses a single expression (go/parser.ParseExpr). */
export function parseExpr(src: string): { expr: ast.Expr | null; errors: SyntaxErr[] } {
  const bytes = encodeUtf8(src);
  const source = new SourceFile('expr', bytes);
  const sc = new Scanner('expr', bytes);
  let expr: ast.Expr | null = null;
  let p: Parser | null = null;
  const extra: { offset: number; message: string }[] = [];
  try {
    p = new Parser(sc, source, DEFAULT_MAX_NESTING);
    expr = p.parseRhs();
    p.expectEOF();
  } catch (e) {
    extra.push({ offset: sc.pos, message: e instanceof Bailout ? e.message || 'too many errors' : String(e) });
  }
  const all = [...(p ? p.errors : []), ...sc.errors, ...extra].sort((a, b) => a.offset - b.offset);
  return {
    expr,
    errors: all.map((e) => {
      const ps = source.position(Math.max(0, e.offset));
      return { offset: e.offset, line: ps.line, column: ps.column, message: e.message };
    }),
  };
}
