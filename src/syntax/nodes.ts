// Node ranges (go/ast Pos/End), child traversal and small node helpers.
import type * as ast from './ast.js';
import { NOPOS } from './ast.js';

/** UTF-8 length in bytes of a string. */
export function utf8Len(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      if (c < 0x800) n += 1;
      else if (c >= 0xd800 && c < 0xdc00) { n += 2; i++; } // surrogate pair: 4 bytes for 2 units
      else n += 2;
    }
  }
  return n;
}

/** The byte offset of the first character of the node (go/ast Node.Pos). */
export function pos(n: ast.Node): number {
  switch (n.kind) {
    case 'Comment': return n.slash;
    case 'CommentGroup': return n.list[0]!.slash;
    case 'Field':
      if (n.names && n.names.length > 0) return n.names[0]!.namePos;
      if (n.type) return pos(n.type);
      return NOPOS;
    case 'FieldList':
      if (n.opening !== NOPOS) return n.opening;
      if (n.list && n.list.length > 0) return pos(n.list[0]!);
      return NOPOS;
    case 'BadExpr': return n.from;
    case 'Ident': return n.namePos;
    case 'Ellipsis': return n.ellipsis;
    case 'BasicLit': return n.valuePos;
    case 'FuncLit': return pos(n.type);
    case 'CompositeLit': return n.type ? pos(n.type) : n.lbrace;
    case 'ParenExpr': return n.lparen;
    case 'SelectorExpr':
    case 'IndexExpr':
    case 'IndexListExpr':
    case 'SliceExpr':
    case 'TypeAssertExpr':
    case 'BinaryExpr':
      return pos(n.x);
    case 'CallExpr': return pos(n.fun);
    case 'StarExpr': return n.star;
    case 'UnaryExpr': return n.opPos;
    case 'KeyValueExpr': return pos(n.key);
    case 'ArrayType': return n.lbrack;
    case 'StructType': return n.struct;
    case 'FuncType':
      if (n.func !== NOPOS || !n.params) return n.func;
      return pos(n.params);
    case 'InterfaceType': return n.interface;
    case 'MapType': return n.map;
    case 'ChanType': return n.begin;
    case 'BadStmt': return n.from;
    case 'DeclStmt': return pos(n.decl);
    case 'EmptyStmt': return n.semicolon;
    case 'LabeledStmt': return n.label.namePos;
    case 'ExprStmt': return pos(n.x);
    case 'SendStmt': return pos(n.chan);
    case 'IncDecStmt': return pos(n.x);
    case 'AssignStmt': return n.lhs.length > 0 ? pos(n.lhs[0]!) : NOPOS;
    case 'GoStmt': return n.go;
    case 'DeferStmt': return n.defer;
    case 'ReturnStmt': return n.return;
    case 'BranchStmt': return n.tokPos;
    case 'BlockStmt': return n.lbrace;
    case 'IfStmt': return n.if;
    case 'CaseClause': return n.case;
    case 'SwitchStmt': return n.switch;
    case 'TypeSwitchStmt': return n.switch;
    case 'CommClause': return n.case;
    case 'SelectStmt': return n.select;
    case 'ForStmt': return n.for;
    case 'RangeStmt': return n.for;
    case 'ImportSpec': return n.name ? n.name.namePos : n.path.valuePos;
    case 'ValueSpec': return n.names[0]!.namePos;
    case 'TypeSpec': return n.name.namePos;
    case 'BadDecl': return n.from;
    case 'GenDecl': return n.tokPos;
    case 'FuncDecl': return pos(n.type);
    case 'File': return n.package;
  }
}

/** The byte offset just after the node (go/ast Node.End). */
export function end(n: ast.Node): number {
  switch (n.kind) {
    case 'Comment': return n.slash + utf8Len(n.text);
    case 'CommentGroup': return end(n.list[n.list.length - 1]!);
    case 'Field':
      if (n.tag) return end(n.tag);
      if (n.type) return end(n.type);
      if (n.names && n.names.length > 0) return end(n.names[n.names.length - 1]!);
      return NOPOS;
    case 'FieldList':
      if (n.closing !== NOPOS) return n.closing + 1;
      if (n.list && n.list.length > 0) return end(n.list[n.list.length - 1]!);
      return NOPOS;
    case 'BadExpr': return n.to;
    case 'Ident': return n.namePos + utf8Len(n.name);
    case 'Ellipsis': return n.elt ? end(n.elt) : n.ellipsis + 3;
    case 'BasicLit': return n.valueEnd !== NOPOS ? n.valueEnd : n.valuePos + utf8Len(n.value);
    case 'FuncLit': return end(n.body);
    case 'CompositeLit': return n.rbrace + 1;
    case 'ParenExpr': return n.rparen + 1;
    case 'SelectorExpr': return end(n.sel);
    case 'IndexExpr':
    case 'IndexListExpr':
    case 'SliceExpr':
      return n.rbrack + 1;
    case 'TypeAssertExpr': return n.rparen + 1;
    case 'CallExpr': return n.rparen + 1;
    case 'StarExpr': return end(n.x);
    case 'UnaryExpr': return end(n.x);
    case 'BinaryExpr': return end(n.y);
    case 'KeyValueExpr': return end(n.value);
    case 'ArrayType': return end(n.elt);
    case 'StructType': return end(n.fields);
    case 'FuncType': return n.results ? end(n.results) : end(n.params);
    case 'InterfaceType': return end(n.methods);
    case 'MapType': return end(n.value);
    case 'ChanType': return end(n.value);
    case 'BadStmt': return n.to;
    case 'DeclStmt': return end(n.decl);
    case 'EmptyStmt': return n.implicit ? n.semicolon : n.semicolon + 1;
    case 'LabeledStmt': return end(n.stmt);
    case 'ExprStmt': return end(n.x);
    case 'SendStmt': return end(n.value);
    case 'IncDecStmt': return n.tokPos + 2;
    case 'AssignStmt': return n.rhs.length > 0 ? end(n.rhs[n.rhs.length - 1]!) : NOPOS;
    case 'GoStmt': return end(n.call);
    case 'DeferStmt': return end(n.call);
    case 'ReturnStmt': return n.results && n.results.length > 0 ? end(n.results[n.results.length - 1]!) : n.return + 6;
    case 'BranchStmt': return n.label ? end(n.label) : n.tokPos + n.tok.length;
    case 'BlockStmt':
      if (n.rbrace !== NOPOS) return n.rbrace + 1;
      if (n.list && n.list.length > 0) return end(n.list[n.list.length - 1]!);
      return n.lbrace + 1;
    case 'IfStmt': return n.else ? end(n.else) : end(n.body);
    case 'CaseClause':
    case 'CommClause':
      return n.body && n.body.length > 0 ? end(n.body[n.body.length - 1]!) : n.colon + 1;
    case 'SwitchStmt':
    case 'TypeSwitchStmt':
    case 'SelectStmt':
    case 'ForStmt':
    case 'RangeStmt':
      return end(n.body);
    case 'ImportSpec': return n.endPos !== NOPOS ? n.endPos : end(n.path);
    case 'ValueSpec':
      if (n.values && n.values.length > 0) return end(n.values[n.values.length - 1]!);
      if (n.type) return end(n.type);
      return end(n.names[n.names.length - 1]!);
    case 'TypeSpec': return end(n.type);
    case 'BadDecl': return n.to;
    case 'GenDecl':
      if (n.rparen !== NOPOS) return n.rparen + 1;
      return n.specs && n.specs.length > 0 ? end(n.specs[0]!) : n.tokPos;
    case 'FuncDecl': return n.body ? end(n.body) : end(n.type);
    case 'File':
      if (n.decls && n.decls.length > 0) return end(n.decls[n.decls.length - 1]!);
      return end(n.name);
  }
}

/** ast.Unparen: strips any number of enclosing parentheses. */
export function unparen(e: ast.Expr): ast.Expr {
  while (e.kind === 'ParenExpr') e = e.x;
  return e;
}

/**
 * Calls f for each direct child node of n, in source order (go/ast.Walk order).
 * Comments are not visited (except the file's own when walking a CommentGroup).
 */
/**
 * The selector a body does nothing but return, itself or its address (`return &ix.mu`, `return
 * c.conn`): the body of a field accessor. Undefined for any other body.
 */
export function returnedSelector(body: ast.BlockStmt | null | undefined): ast.SelectorExpr | undefined {
  const list = body?.list ?? [];
  if (list.length !== 1 || list[0]!.kind !== 'ReturnStmt') return undefined;
  const results = (list[0] as ast.ReturnStmt).results ?? [];
  if (results.length !== 1) return undefined;
  let r = unparen(results[0]!);
  if (r.kind === 'UnaryExpr' && r.op === '&') r = unparen(r.x);
  return r.kind === 'SelectorExpr' ? r : undefined;
}

export function forEachChild(n: ast.Node, f: (child: ast.Node) => void): void {
  // Written without helper closures: this runs for every node of every walk.
  switch (n.kind) {
    case 'Comment': return;
    case 'CommentGroup': eachOf(n.list, f); return;
    case 'Field':
      if (n.doc) f(n.doc);
      if (n.names) eachOf(n.names, f);
      if (n.type) f(n.type);
      if (n.tag) f(n.tag);
      if (n.comment) f(n.comment);
      return;
    case 'FieldList': if (n.list) eachOf(n.list, f); return;
    case 'BadExpr': case 'Ident': case 'BasicLit': return;
    case 'Ellipsis': if (n.elt) f(n.elt); return;
    case 'FuncLit': f(n.type); f(n.body); return;
    case 'CompositeLit': if (n.type) f(n.type); if (n.elts) eachOf(n.elts, f); return;
    case 'ParenExpr': f(n.x); return;
    case 'SelectorExpr': f(n.x); f(n.sel); return;
    case 'IndexExpr': f(n.x); f(n.index); return;
    case 'IndexListExpr': f(n.x); if (n.indices) eachOf(n.indices, f); return;
    case 'SliceExpr': f(n.x); if (n.low) f(n.low); if (n.high) f(n.high); if (n.max) f(n.max); return;
    case 'TypeAssertExpr': f(n.x); if (n.type) f(n.type); return;
    case 'CallExpr': f(n.fun); if (n.args) eachOf(n.args, f); return;
    case 'StarExpr': f(n.x); return;
    case 'UnaryExpr': f(n.x); return;
    case 'BinaryExpr': f(n.x); f(n.y); return;
    case 'KeyValueExpr': f(n.key); f(n.value); return;
    case 'ArrayType': if (n.len) f(n.len); f(n.elt); return;
    case 'StructType': f(n.fields); return;
    case 'FuncType': if (n.typeParams) f(n.typeParams); f(n.params); if (n.results) f(n.results); return;
    case 'InterfaceType': f(n.methods); return;
    case 'MapType': f(n.key); f(n.value); return;
    case 'ChanType': f(n.value); return;
    case 'BadStmt': case 'EmptyStmt': return;
    case 'DeclStmt': f(n.decl); return;
    case 'LabeledStmt': f(n.label); f(n.stmt); return;
    case 'ExprStmt': f(n.x); return;
    case 'SendStmt': f(n.chan); f(n.value); return;
    case 'IncDecStmt': f(n.x); return;
    case 'AssignStmt': eachOf(n.lhs, f); eachOf(n.rhs, f); return;
    case 'GoStmt': f(n.call); return;
    case 'DeferStmt': f(n.call); return;
    case 'ReturnStmt': if (n.results) eachOf(n.results, f); return;
    case 'BranchStmt': if (n.label) f(n.label); return;
    case 'BlockStmt': if (n.list) eachOf(n.list, f); return;
    case 'IfStmt': if (n.init) f(n.init); f(n.cond); f(n.body); if (n.else) f(n.else); return;
    case 'CaseClause': if (n.list) eachOf(n.list, f); if (n.body) eachOf(n.body, f); return;
    case 'SwitchStmt': if (n.init) f(n.init); if (n.tag) f(n.tag); f(n.body); return;
    case 'TypeSwitchStmt': if (n.init) f(n.init); f(n.assign); f(n.body); return;
    case 'CommClause': if (n.comm) f(n.comm); if (n.body) eachOf(n.body, f); return;
    case 'SelectStmt': f(n.body); return;
    case 'ForStmt': if (n.init) f(n.init); if (n.cond) f(n.cond); if (n.post) f(n.post); f(n.body); return;
    case 'RangeStmt': if (n.key) f(n.key); if (n.value) f(n.value); f(n.x); f(n.body); return;
    case 'ImportSpec': if (n.doc) f(n.doc); if (n.name) f(n.name); f(n.path); if (n.comment) f(n.comment); return;
    case 'ValueSpec':
      if (n.doc) f(n.doc);
      eachOf(n.names, f);
      if (n.type) f(n.type);
      if (n.values) eachOf(n.values, f);
      if (n.comment) f(n.comment);
      return;
    case 'TypeSpec':
      if (n.doc) f(n.doc);
      f(n.name);
      if (n.typeParams) f(n.typeParams);
      f(n.type);
      if (n.comment) f(n.comment);
      return;
    case 'BadDecl': return;
    case 'GenDecl': if (n.doc) f(n.doc); if (n.specs) eachOf(n.specs, f); return;
    case 'FuncDecl': if (n.doc) f(n.doc); if (n.recv) f(n.recv); f(n.name); f(n.type); if (n.body) f(n.body); return;
    case 'File': if (n.doc) f(n.doc); f(n.name); if (n.decls) eachOf(n.decls, f); return;
  }
}

function eachOf(xs: readonly ast.Node[], f: (child: ast.Node) => void): void {
  for (let i = 0; i < xs.length; i++) f(xs[i]!);
}

/** Pre-order walk; return false from visit to skip a node's children. */
export function inspect(n: ast.Node, visit: (node: ast.Node) => boolean | void): void {
  const walk = (x: ast.Node): void => {
    if (visit(x) === false) return;
    forEachChild(x, walk);
  };
  walk(n);
}

/**
 * Labels that a goto after them jumps back to. Like the compiler's escape analysis, code from such
 * a label to the end of its block counts as a loop (`again: defer f(); ...; goto again`).
 */
export function loopingLabels(body: ast.BlockStmt): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const visit = (n: ast.Node): void => {
    if (n.kind === 'FuncLit') return;
    if (n.kind === 'LabeledStmt') seen.set(n.label.name, n.label.namePos);
    else if (n.kind === 'BranchStmt' && n.tok === 'goto' && n.label && seen.has(n.label.name)) out.add(n.label.name);
    forEachChild(n, visit);
  };
  visit(body);
  return out;
}
