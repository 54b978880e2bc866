import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);

// src/syntax/ast.ts
var NOPOS = -1;
var SEND = 1;
var RECV = 2;

// src/syntax/source.ts
var SourceFile = class {
  name;
  bytes;
  starts;
  constructor(name, bytes, lineStarts) {
    this.name = name;
    this.bytes = bytes;
    this.starts = lineStarts;
  }
  /** Byte offset at which each line starts; lineStarts[0] === 0 (built on first use: most files never need a position). */
  get lineStarts() {
    return this.starts ??= computeLineStarts(this.bytes);
  }
  get size() {
    return this.bytes.length;
  }
  /** 0-based index of the line containing offset. */
  lineIndex(offset) {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  position(offset) {
    if (offset < 0) return { line: 0, column: 0, column16: 0, offset };
    if (offset > this.bytes.length) offset = this.bytes.length;
    const li = this.lineIndex(offset);
    const start = this.lineStarts[li];
    return { line: li + 1, column: offset - start + 1, column16: utf16Length(this.bytes, start, offset) + 1, offset };
  }
  /** Byte offset of a 1-based line and byte column. */
  offsetOf(line, column) {
    const start = this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
    return Math.min(this.bytes.length, start + Math.max(0, column - 1));
  }
  /** The text of a 1-based line, without its newline. */
  lineText(line) {
    if (line < 1 || line > this.lineStarts.length) return "";
    const start = this.lineStarts[line - 1];
    let end2 = line < this.lineStarts.length ? this.lineStarts[line] - 1 : this.bytes.length;
    if (end2 > start && this.bytes[end2 - 1] === 13) end2--;
    return decodeUtf8(this.bytes, start, end2);
  }
  text(start, end2) {
    return decodeUtf8(this.bytes, start, end2);
  }
};
var scratch = new Int32Array(1 << 14);
function computeLineStarts(bytes) {
  let n = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
    if (n === scratch.length) {
      const bigger = new Int32Array(scratch.length * 2);
      bigger.set(scratch);
      scratch = bigger;
    }
    scratch[n++] = i + 1;
  }
  return scratch.slice(0, n);
}
function utf16Length(bytes, start, end2) {
  let n = 0;
  for (let i = start; i < end2; ) {
    const b = bytes[i];
    if (b < 128) {
      i++;
      n++;
    } else if (b >= 240 && b < 248) {
      i += 4;
      n += 2;
    } else if (b >= 224) {
      i += 3;
      n++;
    } else if (b >= 192) {
      i += 2;
      n++;
    } else {
      i++;
      n++;
    }
  }
  return n;
}
var decoder = new TextDecoder("utf-8");
function decodeUtf8(bytes, start, end2) {
  if (end2 - start < 64) {
    let ascii = true;
    for (let i = start; i < end2; i++) if (bytes[i] >= 128) {
      ascii = false;
      break;
    }
    if (ascii) {
      let s = "";
      for (let i = start; i < end2; i++) s += String.fromCharCode(bytes[i]);
      return s;
    }
  }
  return decoder.decode(bytes.subarray(start, end2));
}
var encoder = new TextEncoder();
function encodeUtf8(s) {
  return encoder.encode(s);
}
function bytesContain(bytes, word) {
  const first = word.charCodeAt(0);
  for (let i = bytes.indexOf(first); i >= 0 && i + word.length <= bytes.length; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < word.length && bytes[i + k] === word.charCodeAt(k)) k++;
    if (k === word.length) return true;
  }
  return false;
}

// src/syntax/nodes.ts
function utf8Len(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) {
      if (c < 2048) n += 1;
      else if (c >= 55296 && c < 56320) {
        n += 2;
        i++;
      } else n += 2;
    }
  }
  return n;
}
function pos(n) {
  switch (n.kind) {
    case "Comment":
      return n.slash;
    case "CommentGroup":
      return n.list[0].slash;
    case "Field":
      if (n.names && n.names.length > 0) return n.names[0].namePos;
      if (n.type) return pos(n.type);
      return NOPOS;
    case "FieldList":
      if (n.opening !== NOPOS) return n.opening;
      if (n.list && n.list.length > 0) return pos(n.list[0]);
      return NOPOS;
    case "BadExpr":
      return n.from;
    case "Ident":
      return n.namePos;
    case "Ellipsis":
      return n.ellipsis;
    case "BasicLit":
      return n.valuePos;
    case "FuncLit":
      return pos(n.type);
    case "CompositeLit":
      return n.type ? pos(n.type) : n.lbrace;
    case "ParenExpr":
      return n.lparen;
    case "SelectorExpr":
    case "IndexExpr":
    case "IndexListExpr":
    case "SliceExpr":
    case "TypeAssertExpr":
    case "BinaryExpr":
      return pos(n.x);
    case "CallExpr":
      return pos(n.fun);
    case "StarExpr":
      return n.star;
    case "UnaryExpr":
      return n.opPos;
    case "KeyValueExpr":
      return pos(n.key);
    case "ArrayType":
      return n.lbrack;
    case "StructType":
      return n.struct;
    case "FuncType":
      if (n.func !== NOPOS || !n.params) return n.func;
      return pos(n.params);
    case "InterfaceType":
      return n.interface;
    case "MapType":
      return n.map;
    case "ChanType":
      return n.begin;
    case "BadStmt":
      return n.from;
    case "DeclStmt":
      return pos(n.decl);
    case "EmptyStmt":
      return n.semicolon;
    case "LabeledStmt":
      return n.label.namePos;
    case "ExprStmt":
      return pos(n.x);
    case "SendStmt":
      return pos(n.chan);
    case "IncDecStmt":
      return pos(n.x);
    case "AssignStmt":
      return n.lhs.length > 0 ? pos(n.lhs[0]) : NOPOS;
    case "GoStmt":
      return n.go;
    case "DeferStmt":
      return n.defer;
    case "ReturnStmt":
      return n.return;
    case "BranchStmt":
      return n.tokPos;
    case "BlockStmt":
      return n.lbrace;
    case "IfStmt":
      return n.if;
    case "CaseClause":
      return n.case;
    case "SwitchStmt":
      return n.switch;
    case "TypeSwitchStmt":
      return n.switch;
    case "CommClause":
      return n.case;
    case "SelectStmt":
      return n.select;
    case "ForStmt":
      return n.for;
    case "RangeStmt":
      return n.for;
    case "ImportSpec":
      return n.name ? n.name.namePos : n.path.valuePos;
    case "ValueSpec":
      return n.names[0].namePos;
    case "TypeSpec":
      return n.name.namePos;
    case "BadDecl":
      return n.from;
    case "GenDecl":
      return n.tokPos;
    case "FuncDecl":
      return pos(n.type);
    case "File":
      return n.package;
  }
}
function end(n) {
  switch (n.kind) {
    case "Comment":
      return n.slash + utf8Len(n.text);
    case "CommentGroup":
      return end(n.list[n.list.length - 1]);
    case "Field":
      if (n.tag) return end(n.tag);
      if (n.type) return end(n.type);
      if (n.names && n.names.length > 0) return end(n.names[n.names.length - 1]);
      return NOPOS;
    case "FieldList":
      if (n.closing !== NOPOS) return n.closing + 1;
      if (n.list && n.list.length > 0) return end(n.list[n.list.length - 1]);
      return NOPOS;
    case "BadExpr":
      return n.to;
    case "Ident":
      return n.namePos + utf8Len(n.name);
    case "Ellipsis":
      return n.elt ? end(n.elt) : n.ellipsis + 3;
    case "BasicLit":
      return n.valueEnd !== NOPOS ? n.valueEnd : n.valuePos + utf8Len(n.value);
    case "FuncLit":
      return end(n.body);
    case "CompositeLit":
      return n.rbrace + 1;
    case "ParenExpr":
      return n.rparen + 1;
    case "SelectorExpr":
      return end(n.sel);
    case "IndexExpr":
    case "IndexListExpr":
    case "SliceExpr":
      return n.rbrack + 1;
    case "TypeAssertExpr":
      return n.rparen + 1;
    case "CallExpr":
      return n.rparen + 1;
    case "StarExpr":
      return end(n.x);
    case "UnaryExpr":
      return end(n.x);
    case "BinaryExpr":
      return end(n.y);
    case "KeyValueExpr":
      return end(n.value);
    case "ArrayType":
      return end(n.elt);
    case "StructType":
      return end(n.fields);
    case "FuncType":
      return n.results ? end(n.results) : end(n.params);
    case "InterfaceType":
      return end(n.methods);
    case "MapType":
      return end(n.value);
    case "ChanType":
      return end(n.value);
    case "BadStmt":
      return n.to;
    case "DeclStmt":
      return end(n.decl);
    case "EmptyStmt":
      return n.implicit ? n.semicolon : n.semicolon + 1;
    case "LabeledStmt":
      return end(n.stmt);
    case "ExprStmt":
      return end(n.x);
    case "SendStmt":
      return end(n.value);
    case "IncDecStmt":
      return n.tokPos + 2;
    case "AssignStmt":
      return n.rhs.length > 0 ? end(n.rhs[n.rhs.length - 1]) : NOPOS;
    case "GoStmt":
      return end(n.call);
    case "DeferStmt":
      return end(n.call);
    case "ReturnStmt":
      return n.results && n.results.length > 0 ? end(n.results[n.results.length - 1]) : n.return + 6;
    case "BranchStmt":
      return n.label ? end(n.label) : n.tokPos + n.tok.length;
    case "BlockStmt":
      if (n.rbrace !== NOPOS) return n.rbrace + 1;
      if (n.list && n.list.length > 0) return end(n.list[n.list.length - 1]);
      return n.lbrace + 1;
    case "IfStmt":
      return n.else ? end(n.else) : end(n.body);
    case "CaseClause":
    case "CommClause":
      return n.body && n.body.length > 0 ? end(n.body[n.body.length - 1]) : n.colon + 1;
    case "SwitchStmt":
    case "TypeSwitchStmt":
    case "SelectStmt":
    case "ForStmt":
    case "RangeStmt":
      return end(n.body);
    case "ImportSpec":
      return n.endPos !== NOPOS ? n.endPos : end(n.path);
    case "ValueSpec":
      if (n.values && n.values.length > 0) return end(n.values[n.values.length - 1]);
      if (n.type) return end(n.type);
      return end(n.names[n.names.length - 1]);
    case "TypeSpec":
      return end(n.type);
    case "BadDecl":
      return n.to;
    case "GenDecl":
      if (n.rparen !== NOPOS) return n.rparen + 1;
      return n.specs && n.specs.length > 0 ? end(n.specs[0]) : n.tokPos;
    case "FuncDecl":
      return n.body ? end(n.body) : end(n.type);
    case "File":
      if (n.decls && n.decls.length > 0) return end(n.decls[n.decls.length - 1]);
      return end(n.name);
  }
}
function unparen(e) {
  while (e.kind === "ParenExpr") e = e.x;
  return e;
}
function returnedSelector(body) {
  const list = body?.list ?? [];
  if (list.length !== 1 || list[0].kind !== "ReturnStmt") return void 0;
  const results = list[0].results ?? [];
  if (results.length !== 1) return void 0;
  let r = unparen(results[0]);
  if (r.kind === "UnaryExpr" && r.op === "&") r = unparen(r.x);
  return r.kind === "SelectorExpr" ? r : void 0;
}
function forEachChild(n, f) {
  switch (n.kind) {
    case "Comment":
      return;
    case "CommentGroup":
      eachOf(n.list, f);
      return;
    case "Field":
      if (n.doc) f(n.doc);
      if (n.names) eachOf(n.names, f);
      if (n.type) f(n.type);
      if (n.tag) f(n.tag);
      if (n.comment) f(n.comment);
      return;
    case "FieldList":
      if (n.list) eachOf(n.list, f);
      return;
    case "BadExpr":
    case "Ident":
    case "BasicLit":
      return;
    case "Ellipsis":
      if (n.elt) f(n.elt);
      return;
    case "FuncLit":
      f(n.type);
      f(n.body);
      return;
    case "CompositeLit":
      if (n.type) f(n.type);
      if (n.elts) eachOf(n.elts, f);
      return;
    case "ParenExpr":
      f(n.x);
      return;
    case "SelectorExpr":
      f(n.x);
      f(n.sel);
      return;
    case "IndexExpr":
      f(n.x);
      f(n.index);
      return;
    case "IndexListExpr":
      f(n.x);
      if (n.indices) eachOf(n.indices, f);
      return;
    case "SliceExpr":
      f(n.x);
      if (n.low) f(n.low);
      if (n.high) f(n.high);
      if (n.max) f(n.max);
      return;
    case "TypeAssertExpr":
      f(n.x);
      if (n.type) f(n.type);
      return;
    case "CallExpr":
      f(n.fun);
      if (n.args) eachOf(n.args, f);
      return;
    case "StarExpr":
      f(n.x);
      return;
    case "UnaryExpr":
      f(n.x);
      return;
    case "BinaryExpr":
      f(n.x);
      f(n.y);
      return;
    case "KeyValueExpr":
      f(n.key);
      f(n.value);
      return;
    case "ArrayType":
      if (n.len) f(n.len);
      f(n.elt);
      return;
    case "StructType":
      f(n.fields);
      return;
    case "FuncType":
      if (n.typeParams) f(n.typeParams);
      f(n.params);
      if (n.results) f(n.results);
      return;
    case "InterfaceType":
      f(n.methods);
      return;
    case "MapType":
      f(n.key);
      f(n.value);
      return;
    case "ChanType":
      f(n.value);
      return;
    case "BadStmt":
    case "EmptyStmt":
      return;
    case "DeclStmt":
      f(n.decl);
      return;
    case "LabeledStmt":
      f(n.label);
      f(n.stmt);
      return;
    case "ExprStmt":
      f(n.x);
      return;
    case "SendStmt":
      f(n.chan);
      f(n.value);
      return;
    case "IncDecStmt":
      f(n.x);
      return;
    case "AssignStmt":
      eachOf(n.lhs, f);
      eachOf(n.rhs, f);
      return;
    case "GoStmt":
      f(n.call);
      return;
    case "DeferStmt":
      f(n.call);
      return;
    case "ReturnStmt":
      if (n.results) eachOf(n.results, f);
      return;
    case "BranchStmt":
      if (n.label) f(n.label);
      return;
    case "BlockStmt":
      if (n.list) eachOf(n.list, f);
      return;
    case "IfStmt":
      if (n.init) f(n.init);
      f(n.cond);
      f(n.body);
      if (n.else) f(n.else);
      return;
    case "CaseClause":
      if (n.list) eachOf(n.list, f);
      if (n.body) eachOf(n.body, f);
      return;
    case "SwitchStmt":
      if (n.init) f(n.init);
      if (n.tag) f(n.tag);
      f(n.body);
      return;
    case "TypeSwitchStmt":
      if (n.init) f(n.init);
      f(n.assign);
      f(n.body);
      return;
    case "CommClause":
      if (n.comm) f(n.comm);
      if (n.body) eachOf(n.body, f);
      return;
    case "SelectStmt":
      f(n.body);
      return;
    case "ForStmt":
      if (n.init) f(n.init);
      if (n.cond) f(n.cond);
      if (n.post) f(n.post);
      f(n.body);
      return;
    case "RangeStmt":
      if (n.key) f(n.key);
      if (n.value) f(n.value);
      f(n.x);
      f(n.body);
      return;
    case "ImportSpec":
      if (n.doc) f(n.doc);
      if (n.name) f(n.name);
      f(n.path);
      if (n.comment) f(n.comment);
      return;
    case "ValueSpec":
      if (n.doc) f(n.doc);
      eachOf(n.names, f);
      if (n.type) f(n.type);
      if (n.values) eachOf(n.values, f);
      if (n.comment) f(n.comment);
      return;
    case "TypeSpec":
      if (n.doc) f(n.doc);
      f(n.name);
      if (n.typeParams) f(n.typeParams);
      f(n.type);
      if (n.comment) f(n.comment);
      return;
    case "BadDecl":
      return;
    case "GenDecl":
      if (n.doc) f(n.doc);
      if (n.specs) eachOf(n.specs, f);
      return;
    case "FuncDecl":
      if (n.doc) f(n.doc);
      if (n.recv) f(n.recv);
      f(n.name);
      f(n.type);
      if (n.body) f(n.body);
      return;
    case "File":
      if (n.doc) f(n.doc);
      f(n.name);
      if (n.decls) eachOf(n.decls, f);
      return;
  }
}
function eachOf(xs, f) {
  for (let i = 0; i < xs.length; i++) f(xs[i]);
}
function inspect(n, visit) {
  const walk = (x) => {
    if (visit(x) === false) return;
    forEachChild(x, walk);
  };
  walk(n);
}
function loopingLabels(body) {
  const seen = /* @__PURE__ */ new Map();
  const out = /* @__PURE__ */ new Set();
  const visit = (n) => {
    if (n.kind === "FuncLit") return;
    if (n.kind === "LabeledStmt") seen.set(n.label.name, n.label.namePos);
    else if (n.kind === "BranchStmt" && n.tok === "goto" && n.label && seen.has(n.label.name)) out.add(n.label.name);
    forEachChild(n, visit);
  };
  visit(body);
  return out;
}

export {
  NOPOS,
  SEND,
  RECV,
  SourceFile,
  encodeUtf8,
  bytesContain,
  utf8Len,
  pos,
  end,
  unparen,
  returnedSelector,
  forEachChild,
  inspect,
  loopingLabels
};
