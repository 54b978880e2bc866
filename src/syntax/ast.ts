// The Go syntax tree. Node kinds and field names mirror go/ast (field names in lowerCamelCase:
// go/ast `Lparen` is `lparen` here). Positions are byte offsets into the file's source; NOPOS
// (-1) stands for go/ast's token.NoPos. Token-valued fields hold the token's spelling as
// go/token prints it ("+", ":=", "INT", "STRING", "var", ...).

export const NOPOS = -1;

export type Pos = number;

/** ast.ChanDir: SEND = 1, RECV = 2, both = 3. */
export const SEND = 1;
export const RECV = 2;
export type ChanDir = 1 | 2 | 3;

export interface Comment {
  kind: 'Comment';
  slash: Pos;
  text: string;
}

export interface CommentGroup {
  kind: 'CommentGroup';
  list: Comment[];
}

export interface Field {
  kind: 'Field';
  doc: CommentGroup | null;
  names: Ident[] | null;
  type: Expr | null;
  tag: BasicLit | null;
  comment: CommentGroup | null;
}

export interface FieldList {
  kind: 'FieldList';
  opening: Pos;
  list: Field[] | null;
  closing: Pos;
}

// ---- Expressions ----

export interface BadExpr { kind: 'BadExpr'; from: Pos; to: Pos }
export interface Ident { kind: 'Ident'; namePos: Pos; name: string }
export interface Ellipsis { kind: 'Ellipsis'; ellipsis: Pos; elt: Expr | null }
export interface BasicLit {
  kind: 'BasicLit';
  valuePos: Pos;
  valueEnd: Pos;
  /** 'INT' | 'FLOAT' | 'IMAG' | 'CHAR' | 'STRING' */
  tokKind: string;
  value: string;
}
export interface FuncLit { kind: 'FuncLit'; type: FuncType; body: BlockStmt }
export interface CompositeLit {
  kind: 'CompositeLit';
  type: Expr | null;
  lbrace: Pos;
  elts: Expr[] | null;
  rbrace: Pos;
  incomplete: boolean;
}
export interface ParenExpr { kind: 'ParenExpr'; lparen: Pos; x: Expr; rparen: Pos }
export interface SelectorExpr { kind: 'SelectorExpr'; x: Expr; sel: Ident }
export interface IndexExpr { kind: 'IndexExpr'; x: Expr; lbrack: Pos; index: Expr; rbrack: Pos }
export interface IndexListExpr { kind: 'IndexListExpr'; x: Expr; lbrack: Pos; indices: Expr[] | null; rbrack: Pos }
export interface SliceExpr {
  kind: 'SliceExpr';
  x: Expr;
  lbrack: Pos;
  low: Expr | null;
  high: Expr | null;
  max: Expr | null;
  slice3: boolean;
  rbrack: Pos;
}
export interface TypeAssertExpr { kind: 'TypeAssertExpr'; x: Expr; lparen: Pos; type: Expr | null; rparen: Pos }
export interface CallExpr {
  kind: 'CallExpr';
  fun: Expr;
  lparen: Pos;
  args: Expr[] | null;
  ellipsis: Pos;
  rparen: Pos;
}
export interface StarExpr { kind: 'StarExpr'; star: Pos; x: Expr }
export interface UnaryExpr { kind: 'UnaryExpr'; opPos: Pos; op: string; x: Expr }
export interface BinaryExpr { kind: 'BinaryExpr'; x: Expr; opPos: Pos; op: string; y: Expr }
export interface KeyValueExpr { kind: 'KeyValueExpr'; key: Expr; colon: Pos; value: Expr }

export interface ArrayType { kind: 'ArrayType'; lbrack: Pos; len: Expr | null; elt: Expr }
export interface StructType { kind: 'StructType'; struct: Pos; fields: FieldList; incomplete: boolean }
export interface FuncType {
  kind: 'FuncType';
  func: Pos;
  typeParams: FieldList | null;
  params: FieldList;
  results: FieldList | null;
}
export interface InterfaceType { kind: 'InterfaceType'; interface: Pos; methods: FieldList; incomplete: boolean }
export interface MapType { kind: 'MapType'; map: Pos; key: Expr; value: Expr }
export interface ChanType { kind: 'ChanType'; begin: Pos; arrow: Pos; dir: ChanDir; value: Expr }

export type Expr =
  | BadExpr
  | Ident
  | Ellipsis
  | BasicLit
  | FuncLit
  | CompositeLit
  | ParenExpr
  | SelectorExpr
  | IndexExpr
  | IndexListExpr
  | SliceExpr
  | TypeAssertExpr
  | CallExpr
  | StarExpr
  | UnaryExpr
  | BinaryExpr
  | KeyValueExpr
  | ArrayType
  | StructType
  | FuncType
  | InterfaceType
  | MapType
  | ChanType;

// ---- Statements ----

export interface BadStmt { kind: 'BadStmt'; from: Pos; to: Pos }
export interface DeclStmt { kind: 'DeclStmt'; decl: Decl }
export interface EmptyStmt { kind: 'EmptyStmt'; semicolon: Pos; implicit: boolean }
export interface LabeledStmt { kind: 'LabeledStmt'; label: Ident; colon: Pos; stmt: Stmt }
export interface ExprStmt { kind: 'ExprStmt'; x: Expr }
export interface SendStmt { kind: 'SendStmt'; chan: Expr; arrow: Pos; value: Expr }
export interface IncDecStmt { kind: 'IncDecStmt'; x: Expr; tokPos: Pos; tok: string }
export interface AssignStmt { kind: 'AssignStmt'; lhs: Expr[]; tokPos: Pos; tok: string; rhs: Expr[] }
export interface GoStmt {
  kind: 'GoStmt';
  go: Pos;
  call: CallExpr;
  /**
   * Set on a go statement rewritten from a call of a spawner helper (analysis/spawners.ts) whose
   * goroutine wraps the call in a literal of its own (`go func() { defer ...; fn() }()`): that
   * literal, whose defers (a recover) run around the goroutine's work.
   */
  spawner?: FuncLit;
}
export interface DeferStmt { kind: 'DeferStmt'; defer: Pos; call: CallExpr }
export interface ReturnStmt { kind: 'ReturnStmt'; return: Pos; results: Expr[] | null }
export interface BranchStmt { kind: 'BranchStmt'; tokPos: Pos; tok: string; label: Ident | null }
export interface BlockStmt { kind: 'BlockStmt'; lbrace: Pos; list: Stmt[] | null; rbrace: Pos }
export interface IfStmt { kind: 'IfStmt'; if: Pos; init: Stmt | null; cond: Expr; body: BlockStmt; else: Stmt | null }
export interface CaseClause { kind: 'CaseClause'; case: Pos; list: Expr[] | null; colon: Pos; body: Stmt[] | null }
export interface SwitchStmt { kind: 'SwitchStmt'; switch: Pos; init: Stmt | null; tag: Expr | null; body: BlockStmt }
export interface TypeSwitchStmt { kind: 'TypeSwitchStmt'; switch: Pos; init: Stmt | null; assign: Stmt; body: BlockStmt }
export interface CommClause { kind: 'CommClause'; case: Pos; comm: Stmt | null; colon: Pos; body: Stmt[] | null }
export interface SelectStmt { kind: 'SelectStmt'; select: Pos; body: BlockStmt }
export interface ForStmt { kind: 'ForStmt'; for: Pos; init: Stmt | null; cond: Expr | null; post: Stmt | null; body: BlockStmt }
export interface RangeStmt {
  kind: 'RangeStmt';
  for: Pos;
  key: Expr | null;
  value: Expr | null;
  tokPos: Pos;
  /** ':=' | '=' | 'ILLEGAL' (no key/value) */
  tok: string;
  range: Pos;
  x: Expr;
  body: BlockStmt;
}

export type Stmt =
  | BadStmt
  | DeclStmt
  | EmptyStmt
  | LabeledStmt
  | ExprStmt
  | SendStmt
  | IncDecStmt
  | AssignStmt
  | GoStmt
  | DeferStmt
  | ReturnStmt
  | BranchStmt
  | BlockStmt
  | IfStmt
  | CaseClause
  | SwitchStmt
  | TypeSwitchStmt
  | CommClause
  | SelectStmt
  | ForStmt
  | RangeStmt;

// ---- Declarations ----

export interface ImportSpec {
  kind: 'ImportSpec';
  doc: CommentGroup | null;
  name: Ident | null;
  path: BasicLit;
  comment: CommentGroup | null;
  endPos: Pos;
}
export interface ValueSpec {
  kind: 'ValueSpec';
  doc: CommentGroup | null;
  names: Ident[];
  type: Expr | null;
  values: Expr[] | null;
  comment: CommentGroup | null;
}
export interface TypeSpec {
  kind: 'TypeSpec';
  doc: CommentGroup | null;
  name: Ident;
  typeParams: FieldList | null;
  assign: Pos;
  type: Expr;
  comment: CommentGroup | null;
}
export type Spec = ImportSpec | ValueSpec | TypeSpec;

export interface BadDecl { kind: 'BadDecl'; from: Pos; to: Pos }
export interface GenDecl {
  kind: 'GenDecl';
  doc: CommentGroup | null;
  tokPos: Pos;
  /** 'import' | 'const' | 'type' | 'var' */
  tok: string;
  lparen: Pos;
  specs: Spec[] | null;
  rparen: Pos;
}
export interface FuncDecl {
  kind: 'FuncDecl';
  doc: CommentGroup | null;
  recv: FieldList | null;
  name: Ident;
  type: FuncType;
  body: BlockStmt | null;
}
export type Decl = BadDecl | GenDecl | FuncDecl;

export interface File {
  kind: 'File';
  doc: CommentGroup | null;
  package: Pos;
  name: Ident;
  decls: Decl[] | null;
  fileStart: Pos;
  fileEnd: Pos;
  /** Not a go/ast field to compare; the import specs in order (go/ast File.Imports). */
  imports: ImportSpec[];
  comments: CommentGroup[] | null;
  goVersion: string;
}

export type Node =
  | Comment
  | CommentGroup
  | Field
  | FieldList
  | Expr
  | Stmt
  | Spec
  | Decl
  | File;

export type NodeKind = Node['kind'];
