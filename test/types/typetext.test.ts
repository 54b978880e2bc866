import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseSignature,
  parseType,
  parseTypeParams,
  qualifiersIn,
  signatureString,
  typeString,
  TypeTextError,
  type ParseContext,
} from '../../src/types/typetext.js';

const ctx: ParseContext = {
  pkg: 'net/http',
  resolve: (q) => ({ io: 'io', tls: 'crypto/tls', time: 'time', iter: 'iter', cmp: 'cmp', os: 'os' })[q],
};

test('named, qualified and predeclared names', () => {
  assert.deepEqual(parseType('*Request', ctx), {
    kind: 'pointer',
    elem: { kind: 'named', pkg: 'net/http', name: 'Request', args: [] },
  });
  assert.deepEqual(parseType('io.ReadCloser', ctx), { kind: 'named', pkg: 'io', name: 'ReadCloser', args: [] });
  assert.deepEqual(parseType('error', ctx), { kind: 'named', pkg: '', name: 'error', args: [] });
  assert.deepEqual(parseType('unsafe.Pointer', ctx), { kind: 'named', pkg: 'unsafe', name: 'Pointer', args: [] });
});

test('composite types', () => {
  assert.equal(typeString(parseType('map[string][]*Cookie', ctx)), 'map[string][]*net/http.Cookie');
  assert.deepEqual(parseType('[24]uint8', ctx), { kind: 'array', len: 24, elem: { kind: 'named', pkg: '', name: 'uint8', args: [] } });
  assert.deepEqual(parseType('<-chan struct', ctx), { kind: 'chan', dir: 'recv', elem: { kind: 'struct' } });
  assert.deepEqual(parseType('chan<- os.Signal', ctx), {
    kind: 'chan',
    dir: 'send',
    elem: { kind: 'named', pkg: 'os', name: 'Signal', args: [] },
  });
  assert.equal(parseType('chan int', ctx).kind, 'chan');
  assert.deepEqual(parseType('ideal-char', ctx), { kind: 'untyped', basic: 'rune' });
  assert.deepEqual(parseType('interface{}', ctx), { kind: 'interface', methods: [], embeds: [] });
});

test('function types, variadics and results', () => {
  const t = parseType('func(*Server, *tls.Conn, Handler)', ctx);
  assert.equal(t.kind, 'func');
  if (t.kind !== 'func') return;
  assert.equal(t.sig.params.length, 3);
  assert.equal(t.sig.results.length, 0);
  const s = parseSignature('(string, ...interface{}) (int, error)', ctx);
  assert.equal(s.variadic, true);
  assert.deepEqual(s.params[1], { kind: 'slice', elem: { kind: 'interface', methods: [], embeds: [] } });
  assert.equal(s.results.length, 2);
  assert.equal(signatureString(s), '(string, ...interface{}) (int, error)');
  // A single func result without results of its own.
  assert.equal(signatureString(parseSignature('() func()', ctx)), '() func()');
  // A func parameter followed by more parameters: the inner func has no result.
  const f = parseSignature('(func($0) bool, int)', ctx);
  assert.equal(f.params.length, 2);
});

test('generic signatures with inline constraints', () => {
  const s = parseSignature('[$0 interface{ ~[]$1 }, $1 cmp.Ordered]($0, $1) (int, bool)', ctx);
  assert.equal(s.typeParams.length, 2);
  assert.deepEqual(s.typeParams[0]!.constraint, {
    kind: 'interface',
    methods: [],
    embeds: [{ kind: 'union', terms: [{ tilde: true, type: { kind: 'slice', elem: { kind: 'typeparam', index: 1 } } }] }],
  });
  assert.deepEqual(s.typeParams[1]!.constraint, { kind: 'named', pkg: 'cmp', name: 'Ordered', args: [] });
  const k = parseSignature('[$0 interface{ ~map[$1]$2 }, $1 comparable, $2 interface{}]($0) iter.Seq[$1]', ctx);
  assert.deepEqual(k.results[0], { kind: 'named', pkg: 'iter', name: 'Seq', args: [{ kind: 'typeparam', index: 1 }] });
  assert.deepEqual(parseTypeParams('[$0]', ctx), [{ index: 0, constraint: { kind: 'interface', methods: [], embeds: [] } }]);
  assert.equal(typeString(parseType('~int | ~string', ctx)), '~int | ~string');
});

test('inline interfaces list method names or embedded elements', () => {
  assert.deepEqual(parseType('interface{ Close, Read }', ctx), { kind: 'interface', methods: ['Close', 'Read'], embeds: [] });
  assert.deepEqual(parseType('interface{ comparable }', ctx), {
    kind: 'interface',
    methods: [],
    embeds: [{ kind: 'named', pkg: '', name: 'comparable', args: [] }],
  });
});

test('bad text gives a TypeTextError that names the text and offset', () => {
  for (const bad of ['', '*', 'map[string', 'func(int', 'rand.Reader', '[x]int', 'int int', '(...int, string)', 'a@b']) {
    assert.throws(
      () => (bad.startsWith('(') ? parseSignature(bad, ctx) : parseType(bad, ctx)),
      (e: unknown) => e instanceof TypeTextError && e.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
  assert.throws(() => parseType('func[$0 any]()', ctx), /type parameters are not allowed/);
});

test('qualifiersIn finds package qualifiers only', () => {
  assert.deepEqual(qualifiersIn('func(io.Reader, *tls.Conn, $0) map[string]time.Duration'), ['io', 'time', 'tls']);
  assert.deepEqual(qualifiersIn('[]uint8'), []);
});
