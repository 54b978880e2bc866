// The declarations of a fully parsed file as a declarations-only parse (mode 'declarations',
// comments off) gives them for the same text: function bodies and function literals' bodies are
// empty blocks, composite literals have no elements (except [...]T{...}, whose elements give the
// length), and there are no comments. An importer can then use a file that was parsed in full
// for analysis instead of parsing it a second time.
//
// The result is made of new nodes: the full tree's nodes are keys of per-function caches
// (control-flow graphs and the like), and keeping them alive would keep all of those.
import type * as ast from './ast.js';

function emptyBlock(b: ast.BlockStmt): ast.BlockStmt {
  return { kind: 'BlockStmt', lbrace: b.lbrace, list: null, rbrace: b.rbrace };
}

const copyAll = <T extends ast.Node>(xs: readonly T[]): T[] => xs.map((x) => copy(x));
const copyOpt = <T extends ast.Node>(x: T | null): T | null => (x ? copy(x) : null);
const copyList = <T extends ast.Node>(xs: readonly T[] | null): T[] | null => (xs ? copyAll(xs) : null);

/** A copy of a node of a file's declarations (everything outside function bodies). */
function copy<T extends ast.Node>(node: T): T {
  const n = node as ast.Node;
  let out: ast.Node;
  switch (n.kind) {
    case 'Ident': case 'BasicLit': case 'BadExpr': case 'BadDecl':
      out = { ...n };
      break;
    case 'Field':
      out = { ...n, doc: null, names: copyList(n.names), type: copyOpt(n.type), tag: copyOpt(n.tag), comment: null };
      break;
    case 'FieldList': out = { ...n, list: copyList(n.list) }; break;
    case 'Ellipsis': out = { ...n, elt: copyOpt(n.elt) }; break;
    case 'FuncLit': out = { ...n, type: copy(n.type), body: emptyBlock(n.body) }; break;
    case 'CompositeLit': {
      const t = n.type;
      // Elements are dropped, except those of [...]T{...}, which give the length.
      const keep = t === null || (t.kind === 'ArrayType' && t.len?.kind === 'Ellipsis');
      out = keep ? { ...n, type: copyOpt(t), elts: copyList(n.elts) } : { ...n, type: copyOpt(t), elts: null, incomplete: true };
      break;
    }
    case 'ParenExpr': out = { ...n, x: copy(n.x) }; break;
    case 'SelectorExpr': out = { ...n, x: copy(n.x), sel: copy(n.sel) }; break;
    case 'IndexExpr': out = { ...n, x: copy(n.x), index: copy(n.index) }; break;
    case 'IndexListExpr': out = { ...n, x: copy(n.x), indices: copyList(n.indices) }; break;
    case 'SliceExpr': out = { ...n, x: copy(n.x), low: copyOpt(n.low), high: copyOpt(n.high), max: copyOpt(n.max) }; break;
    case 'TypeAssertExpr': out = { ...n, x: copy(n.x), type: copyOpt(n.type) }; break;
    case 'CallExpr': out = { ...n, fun: copy(n.fun), args: copyList(n.args) }; break;
    case 'StarExpr': out = { ...n, x: copy(n.x) }; break;
    case 'UnaryExpr': out = { ...n, x: copy(n.x) }; break;
    case 'BinaryExpr': out = { ...n, x: copy(n.x), y: copy(n.y) }; break;
    case 'KeyValueExpr': out = { ...n, key: copy(n.key), value: copy(n.value) }; break;
    case 'ArrayType': out = { ...n, len: copyOpt(n.len), elt: copy(n.elt) }; break;
    case 'StructType': out = { ...n, fields: copy(n.fields) }; break;
    case 'FuncType': out = { ...n, typeParams: copyOpt(n.typeParams), params: copy(n.params), results: copyOpt(n.results) }; break;
    case 'InterfaceType': out = { ...n, methods: copy(n.methods) }; break;
    case 'MapType': out = { ...n, key: copy(n.key), value: copy(n.value) }; break;
    case 'ChanType': out = { ...n, value: copy(n.value) }; break;
    case 'ImportSpec': out = { ...n, doc: null, name: copyOpt(n.name), path: copy(n.path), comment: null }; break;
    case 'ValueSpec': out = { ...n, doc: null, names: copyAll(n.names), type: copyOpt(n.type), values: copyList(n.values), comment: null }; break;
    case 'TypeSpec': out = { ...n, doc: null, name: copy(n.name), typeParams: copyOpt(n.typeParams), type: copy(n.type), comment: null }; break;
    case 'GenDecl': out = { ...n, doc: null, specs: copyList(n.specs) }; break;
    case 'FuncDecl':
      out = { ...n, doc: null, recv: copyOpt(n.recv), name: copy(n.name), type: copy(n.type), body: n.body ? emptyBlock(n.body) : null };
      break;
    default:
      // Statements and comments occur only inside bodies and comment groups, which are dropped.
      throw new Error(`declarationsOf: unexpected ${n.kind} outside a function body`);
  }
  return out as T;
}

/**
 * What `parseFile(path, text, { mode: 'declarations', comments: false })` returns as the file for
 * the text of `file`, which was parsed in full without syntax errors; `file` is left as it is.
 */
export function declarationsOf(file: ast.File): ast.File {
  const decls = file.decls ? copyAll(file.decls) : null;
  // As in a parse, the import list holds the import declarations' own specs.
  const specs = new Map<ast.ImportSpec, ast.ImportSpec>();
  file.decls?.forEach((d, i) => {
    const c = decls![i]!;
    if (d.kind === 'GenDecl' && c.kind === 'GenDecl') d.specs?.forEach((sp, j) => sp.kind === 'ImportSpec' && specs.set(sp, c.specs![j] as ast.ImportSpec));
  });
  return {
    kind: 'File',
    doc: null,
    package: file.package,
    name: copy(file.name),
    decls,
    fileStart: file.fileStart,
    fileEnd: file.fileEnd,
    imports: file.imports.map((sp) => specs.get(sp) ?? copy(sp)),
    comments: null,
    goVersion: file.goVersion,
  };
}
