// The canonical dump format, on hand-built trees. When Go is installed, the same sources are also
// dumped by tools/gohelper (go/parser) and must give the same bytes: that pins down that both
// sides implement one format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BasicLit, ChanType, Comment, CommentGroup, File, FuncDecl, GenDecl, Ident } from '../../src/syntax/ast.js';
import { NOPOS } from '../../src/syntax/ast.js';
import { DumpError, dumpFile, dumpSha256, dumpTo, quote, sha256Hex } from '../../src/syntax/dump.js';
import { buildGoHelper, findGo, goFullDumps } from '../../scripts/gohelper.js';

const ident = (name: string, namePos: number): Ident => ({ kind: 'Ident', namePos, name });
const lit = (tokKind: string, value: string, valuePos: number): BasicLit => ({
  kind: 'BasicLit', valuePos, valueEnd: valuePos + Buffer.byteLength(value), tokKind, value,
});
const group = (slash: number, text: string): CommentGroup => ({
  kind: 'CommentGroup', list: [{ kind: 'Comment', slash, text } satisfies Comment],
});

// package p\n\nfunc f(c <-chan int) { defer g("a\tb") } // é\n
const SRC1 = 'package p\n\nfunc f(c <-chan int) { defer g("a\\tb") } // é\n';
function tree1(): File {
  const chan: ChanType = { kind: 'ChanType', begin: 20, arrow: 20, dir: 2, value: ident('int', 27) };
  const fn: FuncDecl = {
    kind: 'FuncDecl',
    doc: null,
    recv: null,
    name: ident('f', 16),
    type: {
      kind: 'FuncType', func: 11, typeParams: null,
      params: {
        kind: 'FieldList', opening: 17, closing: 30,
        list: [{ kind: 'Field', doc: null, names: [ident('c', 18)], type: chan, tag: null, comment: null }],
      },
      results: null,
    },
    body: {
      kind: 'BlockStmt', lbrace: 32, rbrace: 50,
      list: [{
        kind: 'DeferStmt', defer: 34,
        call: { kind: 'CallExpr', fun: ident('g', 40), lparen: 41, args: [lit('STRING', '"a\\tb"', 42)], ellipsis: NOPOS, rparen: 48 },
      }],
    },
  };
  return {
    kind: 'File', doc: null, package: 0, name: ident('p', 8), decls: [fn], fileStart: 0, fileEnd: 58,
    imports: [], comments: [group(52, '// é')], goVersion: '',
  };
}

const DUMP1 = `File
  comments: [
    CommentGroup
      list: [
        Comment
          slash: 52
          text: "// é"
      ]
  ]
  decls: [
    FuncDecl
      body: BlockStmt
        lbrace: 32
        list: [
          DeferStmt
            call: CallExpr
              args: [
                BasicLit
                  kind: STRING
                  value: "\\"a\\\\tb\\""
                  valueEnd: 48
                  valuePos: 42
              ]
              ellipsis: -
              fun: Ident
                name: "g"
                namePos: 40
              lparen: 41
              rparen: 48
            defer: 34
        ]
        rbrace: 50
      doc: nil
      name: Ident
        name: "f"
        namePos: 16
      recv: nil
      type: FuncType
        func: 11
        params: FieldList
          closing: 30
          list: [
            Field
              comment: nil
              doc: nil
              names: [
                Ident
                  name: "c"
                  namePos: 18
              ]
              tag: nil
              type: ChanType
                arrow: 20
                begin: 20
                dir: 2
                value: Ident
                  name: "int"
                  namePos: 27
          ]
          opening: 17
        results: nil
        typeParams: nil
  ]
  doc: nil
  fileEnd: 58
  fileStart: 0
  goVersion: ""
  name: Ident
    name: "p"
    namePos: 8
  package: 0
`;

// A raw string with control characters, and a block comment whose \r go/scanner drops.
const SRC2 = 'package p\n\nvar s = `\x01\x7f\t"\\é` /* a\r\nb */\n';
function tree2(): File {
  const cg = group(29, '/* a\nb */');
  const decl: GenDecl = {
    kind: 'GenDecl', doc: null, tokPos: 11, tok: 'var', lparen: NOPOS, rparen: NOPOS,
    specs: [{
      kind: 'ValueSpec', doc: null, names: [ident('s', 15)], type: null,
      values: [{ kind: 'BasicLit', valuePos: 19, valueEnd: 28, tokKind: 'STRING', value: '`\x01\x7f\t"\\é`' }],
      comment: cg,
    }],
  };
  return {
    kind: 'File', doc: null, package: 0, name: ident('p', 8), decls: [decl], fileStart: 0, fileEnd: 40,
    imports: [], comments: [cg], goVersion: '',
  };
}

test('dump of a small hand-built tree has the documented shape', () => {
  assert.equal(dumpFile(tree1()), DUMP1);
});

test('fields are sorted by dumped name; BasicLit.tokKind is dumped as kind; File.imports is skipped', () => {
  const d = dumpFile(tree2());
  assert.match(d, /BasicLit\n {14}kind: STRING\n {14}value: "`\\x01\\x7f\\t\\"\\\\é`"\n {14}valueEnd: 28\n {14}valuePos: 19\n/);
  assert.doesNotMatch(d, /imports|tokKind/);
  const withImports = tree2();
  withImports.imports = [{ kind: 'ImportSpec', doc: null, name: null, path: lit('STRING', '"x"', 1), comment: null, endPos: NOPOS }];
  assert.equal(dumpFile(withImports), d);
});

test('null lists and empty lists dump alike; null nodes dump as nil; NOPOS as -', () => {
  const a = tree1();
  const b = tree1();
  a.comments = null;
  b.comments = [];
  assert.equal(dumpFile(a), dumpFile(b));
  assert.match(dumpFile(a), /^ {2}comments: \[\]$/m);
  assert.match(dumpFile(a), /^ {2}doc: nil$/m);
  assert.match(dumpFile(a), /^ {14}ellipsis: -$/m);
});

test('a changed position, name or token changes the dump', () => {
  const base = dumpFile(tree1());
  const t = tree1();
  (t.decls![0] as FuncDecl).name.namePos = 17;
  assert.notEqual(dumpFile(t), base);
  const u = tree1();
  (u.decls![0] as FuncDecl).name.name = 'F';
  assert.notEqual(dumpFile(u), base);
  const v = tree1();
  ((v.decls![0] as FuncDecl).type.params.list![0]!.type as ChanType).dir = 3;
  assert.match(dumpFile(v), /dir: 3\n/);
});

test('quote escapes quotes, backslashes and control characters only', () => {
  assert.equal(quote('plain é ☃ 😀'), '"plain é ☃ 😀"');
  assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(quote('\n\r\t\x00\x1b\x7f'), '"\\n\\r\\t\\x00\\x1b\\x7f"');
});

test('values outside the format are rejected with the field named', () => {
  const t = tree1() as unknown as { name: Record<string, unknown> };
  t.name.namePos = 1.5;
  assert.throws(() => dumpFile(t as unknown as File), (e: unknown) => e instanceof DumpError && /Ident\.namePos/.test(e.message));
  const u = tree1() as unknown as { decls: unknown[] };
  u.decls.push({ notANode: true });
  assert.throws(() => dumpFile(u as unknown as File), (e: unknown) => e instanceof DumpError && /File\.decls\[1\]/.test(e.message));
});

test('sha256 of the streamed dump equals the sha256 of the whole dump, also for large trees', () => {
  const t = tree1();
  const body = (t.decls![0] as FuncDecl).body!;
  for (let i = 0; i < 5000; i++) body.list!.push({ kind: 'ExprStmt', x: ident(`v${i}`, 100 + i) });
  const whole = dumpFile(t);
  assert.ok(whole.length > 1 << 17);
  let chunks = 0;
  dumpTo(t, () => chunks++);
  assert.ok(chunks > 1, 'a large dump arrives in several chunks');
  assert.equal(dumpSha256(t), sha256Hex(whole));
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('go/parser dumps the same sources identically (tools/gohelper)', (t) => {
  const go = findGo();
  if ('missing' in go) {
    t.skip(`go not on PATH: ${go.missing}`);
    return;
  }
  const exe = buildGoHelper(go);
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-dump-'));
  try {
    const f1 = join(dir, 'one.go');
    const f2 = join(dir, 'two.go');
    writeFileSync(f1, SRC1);
    writeFileSync(f2, SRC2);
    const dumps = goFullDumps(exe, [f1, f2]);
    assert.deepEqual(dumps.get(f1), { status: 'ok', errors: [], dump: dumpFile(tree1()) });
    assert.deepEqual(dumps.get(f2), { status: 'ok', errors: [], dump: dumpFile(tree2()) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
