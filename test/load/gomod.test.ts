import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoModError, parseGoMod, parseGoWork, unquoteGo } from '../../src/load/gomod.js';

const full = `// Module comment.
// Deprecated: use example.com/new instead.
module "example.com/m" // the module

go 1.22.1

toolchain go1.23.4

godebug (
	default=go1.21
	panicnil=1
)
godebug asynctimerchan=0

require example.com/a v1.2.3
require (
	example.com/b v0.0.0-20240101000000-abcdef123456 // indirect
	"example.com/c" v2.0.0+incompatible
	example.com/d/v2 v2.1.0 // indirect; for tests
)

exclude example.com/a v1.2.2
exclude (
	example.com/b v0.1.0
)

replace example.com/a => ../a
replace (
	example.com/b v0.1.0 => example.com/b2 v0.2.0
	example.com/c => /abs/c
)

// Published by mistake.
retract v1.0.0
retract (
	[v1.1.0, v1.1.9] // broken build
)

tool example.com/tool/cmd/gen
ignore ./node_modules
`;

test('go.mod: every directive, blocks, comments and quoted paths', () => {
  const m = parseGoMod(full);
  assert.deepEqual(m.module, { line: 3, path: 'example.com/m', deprecated: 'use example.com/new instead.' });
  assert.deepEqual(m.go, { line: 5, version: '1.22.1' });
  assert.deepEqual(m.toolchain, { line: 7, name: 'go1.23.4' });
  assert.deepEqual(
    m.godebug.map((g) => [g.key, g.value, g.line]),
    [['default', 'go1.21', 10], ['panicnil', '1', 11], ['asynctimerchan', '0', 13]],
  );
  assert.deepEqual(
    m.require.map((r) => [r.path, r.version, r.indirect, r.line]),
    [
      ['example.com/a', 'v1.2.3', false, 15],
      ['example.com/b', 'v0.0.0-20240101000000-abcdef123456', true, 17],
      ['example.com/c', 'v2.0.0+incompatible', false, 18],
      ['example.com/d/v2', 'v2.1.0', true, 19],
    ],
  );
  assert.deepEqual(m.exclude.map((e) => `${e.path}@${e.version}`), ['example.com/a@v1.2.2', 'example.com/b@v0.1.0']);
  assert.deepEqual(
    m.replace.map((r) => [r.old.path, r.old.version, r.new.path, r.new.version]),
    [
      ['example.com/a', '', '../a', ''],
      ['example.com/b', 'v0.1.0', 'example.com/b2', 'v0.2.0'],
      ['example.com/c', '', '/abs/c', ''],
    ],
  );
  assert.deepEqual(
    m.retract.map((r) => [r.low, r.high, r.rationale]),
    [['v1.0.0', 'v1.0.0', 'Published by mistake.'], ['v1.1.0', 'v1.1.9', 'broken build']],
  );
  assert.deepEqual(m.tool.map((t) => t.path), ['example.com/tool/cmd/gen']);
  assert.deepEqual(m.ignore.map((t) => t.path), ['./node_modules']);
});

test('go.mod: minimal files', () => {
  const m = parseGoMod('module example.com/x\n');
  assert.equal(m.module?.path, 'example.com/x');
  assert.equal(m.go, null);
  assert.equal(parseGoMod('\ufeffmodule std\r\n\r\ngo 1.26\r\n').go?.version, '1.26');
  assert.equal(parseGoMod('module m\ngo 1.21rc1\n').go?.version, '1.21rc1');
  assert.equal(parseGoMod('module `example.com/raw`\n').module?.path, 'example.com/raw');
});

test('go.mod: errors name the file and line', () => {
  const cases: [string, RegExp][] = [
    ['module a\nmodule b\n', /^go\.mod:2: repeated module statement \(first on line 1\)$/],
    ['module a\n\ngo 1.x\n', /^go\.mod:3: invalid go version '1\.x': must match format 1\.23\.0$/],
    ['module a\ngo 1.21\ngo 1.22\n', /^go\.mod:3: repeated go statement/],
    ['module a\nrequire example.com/b\n', /^go\.mod:2: usage: require module\/path v1\.2\.3$/],
    ['module a\nrequire example.com/b 1.2.3\n', /^go\.mod:2: require example\.com\/b: invalid version "1\.2\.3"/],
    ['module a\nrequire (\n\texample.com/b v1.0.0\n', /^go\.mod:2: require block is not closed by \)$/],
    ['module a\nfrobnicate x\n', /^go\.mod:2: unknown directive: frobnicate$/],
    ['module a\nreplace example.com/b => example.com/c\n', /^go\.mod:2: replacement module without version must be directory path/],
    ['module a\nreplace example.com/b => ../c v1.0.0\n', /^go\.mod:2: replacement module directory path "\.\.\/c" cannot have version$/],
    ['module a\nreplace example.com/b\n', /^go\.mod:2: usage: replace/],
    ['module a\n/* no */\n', /^go\.mod:2: mod files must use \/\/ comments/],
    ['module "a\n', /^go\.mod:1: unexpected newline in string$/],
    ['module a\nretract [v1.0.0 v1.1.0]\n', /^go\.mod:2: usage: retract/],
    ['module a\ntoolchain 1.21\n', /^go\.mod:2: invalid toolchain version '1\.21'/],
    ['module a\ngodebug x\n', /^go\.mod:2: usage: godebug key=value$/],
    ['module a\n)\n', /^go\.mod:2: unexpected \)$/],
    ['module a b\n', /^go\.mod:1: usage: module module\/path$/],
  ];
  for (const [src, re] of cases) {
    assert.throws(() => parseGoMod(src), (e: unknown) => e instanceof GoModError && re.test(e.message), src);
  }
  // Several problems are all reported, in line order.
  try {
    parseGoMod('module a\ngo x\nrequire b\n', 'sub/go.mod');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof GoModError);
    assert.deepEqual(e.issues.map((i) => i.line), [2, 3]);
    assert.match(e.message, /^sub\/go\.mod:2: .*\nsub\/go\.mod:3: /);
  }
  // Lax mode tolerates directives it does not know (newer Go releases).
  assert.equal(parseGoMod('module a\nfuture x\n', 'go.mod', { strict: false }).module?.path, 'a');
});

test('go.work: go, toolchain, use, replace', () => {
  const w = parseGoWork('go 1.22\ntoolchain go1.22.3\n\nuse (\n\t./a\n\t"./b c"\n)\nuse ../shared\n\nreplace example.com/x v1.0.0 => ./x\n');
  assert.equal(w.go?.version, '1.22');
  assert.equal(w.toolchain?.name, 'go1.22.3');
  assert.deepEqual(w.use.map((u) => [u.path, u.line]), [['./a', 5], ['./b c', 6], ['../shared', 8]]);
  assert.deepEqual(w.replace.map((r) => `${r.old.path}@${r.old.version}=>${r.new.path}`), ['example.com/x@v1.0.0=>./x']);
  assert.throws(() => parseGoWork('go 1.22\nuse ./a\nuse ./a\n'), /go\.work:3: path \.\/a appears multiple times in workspace \(first on line 2\)/);
  assert.throws(() => parseGoWork('module a\n'), /go\.work:1: unknown directive: module/);
  assert.throws(() => parseGoWork('use ./a ./b\n'), /go\.work:1: usage: use local\/dir/);
});

test('Go string unquoting', () => {
  assert.equal(unquoteGo('"a\\tb\\u00e9\\x41\\101"'), 'a\tbéAA');
  assert.equal(unquoteGo('`raw\\n`'), 'raw\\n');
  assert.equal(unquoteGo('"bad\\q"'), null);
  assert.equal(unquoteGo('"unterminated'), null);
});
