import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  fieldsOf,
  loadStdlibIndex,
  lookupField,
  lookupMember,
  lookupMethod,
  methodsOf,
  stdlib,
  stdlibPackage,
  stdlibPackagePaths,
  STDLIB_DATA_URL,
  StdlibDataError,
  StdlibIndex,
  type FuncMember,
  type Member,
  type TypeMember,
} from '../../src/types/stdlib.js';
import { signatureString, typeString, type TypeExpr } from '../../src/types/typetext.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function func(path: string, name: string): FuncMember {
  const m = lookupMember(path, name);
  assert.ok(m, `${path}.${name} is in the index`);
  assert.equal(m.kind, 'func', `${path}.${name} is a func`);
  return m as FuncMember;
}

function type(path: string, name: string): TypeMember {
  const m = lookupMember(path, name);
  assert.ok(m, `${path}.${name} is in the index`);
  assert.equal(m.kind, 'type');
  return m as TypeMember;
}

const named = (pkg: string, name: string, args: TypeExpr[] = []): TypeExpr => ({ kind: 'named', pkg, name, args });
const predeclared = (name: string) => named('', name);

test('os.Open, os.Create, os.OpenFile return (*os.File, error)', () => {
  const open = func('os', 'Open');
  assert.equal(open.sigText, '(string) (*File, error)');
  assert.deepEqual(open.signature.params, [predeclared('string')]);
  assert.deepEqual(open.signature.results, [{ kind: 'pointer', elem: named('os', 'File') }, predeclared('error')]);
  assert.equal(open.fullName, 'os.Open');
  assert.equal(open.since, 'go1');
  assert.equal(signatureString(func('os', 'Create').signature), '(string) (*os.File, error)');
  const of = func('os', 'OpenFile');
  // os.FileMode is an alias of io/fs.FileMode; the listing expands it.
  assert.equal(signatureString(of.signature), '(string, int, io/fs.FileMode) (*os.File, error)');
  assert.deepEqual(func('os', 'Exit').signature, { typeParams: [], params: [predeclared('int')], results: [], variadic: false });
});

test('(*os.File).Close and the method sets of os.File', () => {
  const close = lookupMethod('os', 'File', 'Close');
  assert.ok(close);
  assert.equal(close.pointerRecv, true);
  assert.equal(close.fullName, '(*os.File).Close');
  assert.equal(close.promoted, false);
  assert.deepEqual(close.signature.results, [predeclared('error')]);
  const sets = methodsOf('os', 'File')!;
  assert.equal(sets.value.length, 0, 'os.File has only pointer methods');
  assert.ok(sets.pointer.some((m) => m.name === 'ReadDir'));
  // Not in the value method set.
  assert.equal(lookupMethod('os', 'File', 'Close', false), undefined);
});

test('sync.WaitGroup, Mutex and RWMutex methods', () => {
  for (const [m, since] of [['Wait', 'go1'], ['Done', 'go1'], ['Add', 'go1'], ['Go', 'go1.25']] as const) {
    const x = lookupMethod('sync', 'WaitGroup', m);
    assert.ok(x, `(*sync.WaitGroup).${m}`);
    assert.equal(x.fullName, `(*sync.WaitGroup).${m}`);
    assert.equal(x.pointerRecv, true);
    assert.equal(x.since, since);
  }
  assert.equal(lookupMethod('sync', 'WaitGroup', 'Add')!.sigText, '(int)');
  assert.equal(lookupMethod('sync', 'Mutex', 'Lock')!.fullName, '(*sync.Mutex).Lock');
  const rw = methodsOf('sync', 'RWMutex')!;
  assert.deepEqual(
    rw.pointer.map((m) => m.name),
    ['Lock', 'RLock', 'RLocker', 'RUnlock', 'TryLock', 'TryRLock', 'Unlock'],
  );
  assert.deepEqual(rw.value, []);
  assert.equal(type('sync', 'Locker').typeKind, 'interface');
});

test('time.Since, time.Sleep and value methods of time.Time', () => {
  assert.deepEqual(func('time', 'Since').signature.results, [named('time', 'Duration')]);
  assert.deepEqual(func('time', 'Sleep').signature.params, [named('time', 'Duration')]);
  const sub = lookupMethod('time', 'Time', 'Sub', false)!;
  assert.equal(sub.fullName, '(time.Time).Sub');
  assert.equal(sub.pointerRecv, false);
  const dur = type('time', 'Duration');
  assert.equal(dur.typeKind, 'basic');
  assert.equal(dur.typeText, 'int64');
  const second = lookupMember('time', 'Second');
  assert.equal(second?.kind, 'const');
  assert.deepEqual((second as Extract<Member, { kind: 'const' }>).type, named('time', 'Duration'));
  const maxBase = lookupMember('math/big', 'MaxBase') as Extract<Member, { kind: 'const' }>;
  assert.deepEqual(maxBase.type, { kind: 'untyped', basic: 'rune' });
});

test('net/http: Client.Do, Get, Response.Body', () => {
  const doM = lookupMethod('net/http', 'Client', 'Do')!;
  assert.equal(doM.fullName, '(*net/http.Client).Do');
  assert.equal(signatureString(doM.signature), '(*net/http.Request) (*net/http.Response, error)');
  assert.equal(signatureString(func('net/http', 'Get').signature), '(string) (*net/http.Response, error)');
  const body = lookupField('net/http', 'Response', 'Body')!;
  assert.equal(body.typeText, 'io.ReadCloser');
  assert.deepEqual(body.type, named('io', 'ReadCloser'));
  assert.equal(body.embedded, false);
  assert.equal(body.depth, 0);
  assert.equal(lookupField('net/http', 'Response', 'TLS')!.since, 'go1.3');
  assert.equal(stdlibPackage('net/http')!.name, 'http');
});

test('io.ReadCloser and net.Conn method sets, with embedded interfaces', () => {
  const rc = type('io', 'ReadCloser');
  assert.deepEqual(rc.embeds, [named('io', 'Reader'), named('io', 'Closer')]);
  const sets = methodsOf('io', 'ReadCloser')!;
  assert.deepEqual(sets.value.map((m) => m.fullName), ['(io.Closer).Close', '(io.Reader).Read']);
  assert.ok(sets.value.every((m) => m.isInterface && m.promoted));
  assert.deepEqual(sets.pointer, []);
  assert.deepEqual(methodsOf('io', 'ReadWriteCloser')!.value.map((m) => m.name), ['Close', 'Read', 'Write']);
  const conn = methodsOf('net', 'Conn')!.value;
  assert.deepEqual(conn.map((m) => m.name), [
    'Close', 'LocalAddr', 'Read', 'RemoteAddr', 'SetDeadline', 'SetReadDeadline', 'SetWriteDeadline', 'Write',
  ]);
  assert.equal(conn[0]!.fullName, '(net.Conn).Close');
  assert.deepEqual(conn.find((m) => m.name === 'SetDeadline')!.signature.params, [named('time', 'Time')]);
  // context.Context: Done() <-chan struct{}
  const done = lookupMethod('context', 'Context', 'Done')!;
  assert.deepEqual(done.signature.results, [{ kind: 'chan', dir: 'recv', elem: { kind: 'struct' } }]);
});

test('promoted methods name their declaring type', () => {
  // bufio.ReadWriter embeds *Reader and *Writer.
  const flush = lookupMethod('bufio', 'ReadWriter', 'Flush', false)!;
  assert.equal(flush.promoted, true);
  assert.equal(flush.pointerRecv, false);
  assert.equal(flush.fullName, '(*bufio.Writer).Flush');
  // Promoted through unexported embedded fields, as go/types reports them.
  assert.equal(lookupMethod('net', 'TCPConn', 'Close')!.fullName, '(*net.conn).Close');
  assert.equal(lookupMethod('testing', 'T', 'Fatalf')!.fullName, '(*testing.common).Fatalf');
  assert.equal(lookupMethod('testing', 'T', 'Run')!.fullName, '(*testing.T).Run');
  // Promoted from an embedded interface field: ecdsa.PublicKey embeds elliptic.Curve.
  assert.equal(lookupMethod('crypto/ecdsa', 'PublicKey', 'Params', false)!.fullName, '(crypto/elliptic.Curve).Params');
});

test('(*bufio.Writer).Flush, gzip.NewWriter, database/sql, log', () => {
  const flush = lookupMethod('bufio', 'Writer', 'Flush')!;
  assert.equal(flush.sigText, '() error');
  assert.equal(flush.fullName, '(*bufio.Writer).Flush');
  assert.deepEqual(func('compress/gzip', 'NewWriter').signature, {
    typeParams: [],
    params: [named('io', 'Writer')],
    results: [{ kind: 'pointer', elem: named('compress/gzip', 'Writer') }],
    variadic: false,
  });
  assert.equal(lookupMethod('compress/gzip', 'Writer', 'Close')!.fullName, '(*compress/gzip.Writer).Close');
  const q = lookupMethod('database/sql', 'DB', 'QueryContext')!;
  assert.equal(signatureString(q.signature), '(context.Context, string, ...interface{}) (*database/sql.Rows, error)');
  assert.equal(q.signature.variadic, true);
  assert.equal(q.since, 'go1.8');
  assert.equal(func('log', 'Fatal').sigText, '(...interface{})');
  assert.equal(lookupMethod('log', 'Logger', 'Fatalf')!.fullName, '(*log.Logger).Fatalf');
});

test('context.WithTimeout and CancelFunc', () => {
  const wt = func('context', 'WithTimeout');
  assert.deepEqual(wt.signature.results, [named('context', 'Context'), named('context', 'CancelFunc')]);
  assert.equal(wt.since, 'go1.7');
  const cf = type('context', 'CancelFunc');
  assert.equal(cf.typeKind, 'func');
  assert.deepEqual(cf.type, { kind: 'func', sig: { typeParams: [], params: [], results: [], variadic: false } });
});

test('generics: slices.Sort, maps.Keys (iter.Seq), cmp.Ordered, atomic.Pointer', () => {
  const sort = func('slices', 'Sort');
  assert.equal(sort.since, 'go1.21');
  assert.equal(sort.signature.typeParams.length, 2);
  assert.deepEqual(sort.signature.typeParams[1]!.constraint, named('cmp', 'Ordered'));
  assert.deepEqual(sort.signature.params, [{ kind: 'typeparam', index: 0 }]);
  const keys = func('maps', 'Keys');
  assert.equal(keys.since, 'go1.23');
  assert.deepEqual(keys.signature.results, [named('iter', 'Seq', [{ kind: 'typeparam', index: 1 }])]);
  const seq = type('iter', 'Seq');
  assert.equal(seq.typeParams.length, 1);
  assert.equal(seq.typeKind, 'func');
  const ordered = type('cmp', 'Ordered');
  assert.equal(ordered.embeds.length, 1);
  assert.equal(ordered.embeds[0]!.kind, 'union');
  assert.ok(typeString(ordered.embeds[0]!).includes('~float64'));
  const load = lookupMethod('sync/atomic', 'Pointer', 'Load')!;
  assert.deepEqual(load.signature.results, [{ kind: 'pointer', elem: { kind: 'typeparam', index: 0 } }]);
  assert.equal(type('sync/atomic', 'Pointer').typeParams.length, 1);
});

test('errors.Join and deprecation marks', () => {
  const join = func('errors', 'Join');
  assert.equal(join.since, 'go1.20');
  assert.equal(join.signature.variadic, true);
  assert.equal(join.deprecated, undefined);
  // The listing that first carries the deprecation mark (go1.16.txt holds all older ones).
  assert.equal(lookupMember('io/ioutil', 'ReadAll')!.deprecated, 'go1.19');
  assert.equal(lookupMember('io/ioutil', 'ReadAll')!.since, 'go1');
  assert.equal(lookupMethod('archive/zip', 'FileHeader', 'ModTime')!.deprecated, 'go1.16');
});

test('fields with promotion through embedded structs', () => {
  const f = fieldsOf('archive/zip', 'File')!;
  const name = f.find((x) => x.name === 'Name')!;
  assert.equal(name.depth, 1);
  assert.deepEqual(name.via, ['FileHeader']);
  assert.deepEqual(name.owner, { pkg: 'archive/zip', name: 'FileHeader' });
  assert.equal(f[0]!.name, 'FileHeader');
  assert.equal(f[0]!.embedded, true);
  const pk = fieldsOf('crypto/ecdsa', 'PrivateKey')!.map((x) => `${x.name}@${x.depth}`);
  assert.deepEqual(pk, ['D@0', 'PublicKey@0', 'Curve@1', 'X@1', 'Y@1']);
  assert.deepEqual(fieldsOf('sync', 'Mutex'), []);
  assert.deepEqual(fieldsOf('io', 'Reader'), [], 'not a struct');
  assert.equal(fieldsOf('os', 'NoSuchType'), undefined);
});

test('aliases resolve to their target', () => {
  const fi = type('os', 'FileInfo');
  assert.equal(fi.typeKind, 'alias');
  assert.deepEqual(fi.type, named('io/fs', 'FileInfo'));
  assert.equal(stdlib().resolveType('os', 'FileInfo')!.pkg, 'io/fs');
  assert.equal(lookupMethod('os', 'FileInfo', 'Name')!.fullName, '(io/fs.FileInfo).Name');
  assert.equal(lookupMethod('os', 'FileMode', 'IsDir', false)!.fullName, '(io/fs.FileMode).IsDir');
});

test('unknown names give undefined, not errors', () => {
  assert.equal(lookupMember('os', 'Nope'), undefined);
  assert.equal(lookupMember('example.com/x', 'Open'), undefined);
  assert.equal(methodsOf('os', 'Open'), undefined, 'a func has no method set');
  assert.equal(lookupMethod('os', 'File', 'Nope'), undefined);
  assert.equal(lookupMember('os', 'toString'), undefined);
  assert.equal(lookupMember('os', '__proto__'), undefined);
  assert.equal(stdlibPackage('constructor'), undefined);
  assert.deepEqual(stdlib().packagesNamed('rand'), ['crypto/rand', 'math/rand', 'math/rand/v2']);
});

test('package coverage and the platform choice', () => {
  const paths = stdlibPackagePaths();
  for (const p of ['os', 'syscall', 'net/http', 'log/syslog', 'runtime/cgo', 'iter', 'unique', 'weak']) assert.ok(paths.includes(p), p);
  assert.ok(!paths.some((p) => p.startsWith('internal/') || p.includes('/internal/')));
  assert.equal(stdlib().platform, 'linux/amd64 (cgo)');
  assert.match(stdlib().go, /^go1\.\d+$/);
  // linux-only syscall API is present, windows-only is not.
  assert.equal(lookupMember('syscall', 'Kill')?.kind, 'func');
  assert.equal(lookupMember('syscall', 'Getxattr')?.kind, 'func');
  assert.equal(lookupMember('syscall', 'CreateFile'), undefined);
  assert.equal(stdlibPackage('math/rand/v2')!.name, 'rand');
  assert.equal(stdlibPackage('html/template')!.imports.template, 'text/template');
});

test('every stored text parses and prints back to the listing spelling', () => {
  const idx = stdlib();
  let checked = 0;
  for (const path of idx.packagePaths()) {
    const pkg = idx.package(path)!;
    const back = new Map(Object.entries(pkg.imports).map(([q, p]) => [p, q] as const));
    const q = (p: string) => (p === path ? '' : (back.get(p) ?? p));
    for (const name of pkg.memberNames()) {
      const m = pkg.member(name)!;
      if (m.kind === 'func') {
        assert.equal(signatureString(m.signature, q), m.sigText, `${path}.${name}`);
      } else if (m.kind === 'var' || (m.kind === 'const' && m.type.kind !== 'untyped')) {
        assert.equal(typeString(m.type, q), m.typeText, `${path}.${name}`);
      } else if (m.kind === 'type') {
        if (m.type) assert.equal(typeString(m.type, q), m.typeText, `${path}.${name}`);
        void m.typeParams;
        void m.embeds;
        const sets = idx.methodsOf(path, name);
        for (const x of sets ? [...sets.pointer, ...sets.value] : []) {
          if (x.pkg === path) assert.equal(signatureString(x.signature, q), x.sigText, `${path}.${name}.${x.name}`);
          checked++;
        }
        for (const f of m.typeKind === 'struct' ? idx.fieldsOf(path, name)! : []) {
          if (f.depth === 0) assert.equal(typeString(f.type, q), f.typeText, `${path}.${name}.${f.name}`);
          checked++;
        }
      }
      checked++;
    }
  }
  assert.ok(checked > 10000, `checked ${checked} entries`);
});

test('data errors are reported clearly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stdlib-api-'));
  try {
    assert.throws(() => loadStdlibIndex(join(dir, 'missing.json')), (e: unknown) => e instanceof StdlibDataError && /cannot read.*missing\.json.*ENOENT/.test((e as Error).message));
    writeFileSync(join(dir, 'bad.json'), '{"format":1,');
    assert.throws(() => loadStdlibIndex(join(dir, 'bad.json')), /bad\.json is not valid JSON/);
    writeFileSync(join(dir, 'old.json'), '{"format":99,"packages":{}}');
    assert.throws(() => loadStdlibIndex(join(dir, 'old.json')), /format 99/);
    assert.throws(() => new StdlibIndex(null as never), /malformed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('size of the checked-in data', (t) => {
  const file = fileURLToPath(STDLIB_DATA_URL);
  const bytes = statSync(file).size;
  const gz = gzipSync(readFileSync(file)).length;
  const s = stdlib();
  const symbols = s.packagePaths().reduce((n, p) => n + s.package(p)!.memberNames().length, 0);
  t.diagnostic(`data/stdlib-api.json: ${bytes} bytes (${gz} gzipped), ${s.packagePaths().length} packages, ${symbols} package-level symbols`);
  assert.ok(bytes < 2_000_000, `data is ${bytes} bytes; keep it well under a few MB`);
});

function goroot(): string | undefined {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

test('checked-in data equals what the generator produces from the installed Go', (t) => {
  const gr = goroot();
  if (!gr) {
    t.skip('Go is not installed (go env GOROOT failed): cannot check data/stdlib-api.json is current');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'stdlib-api-'));
  try {
    const out = join(dir, 'stdlib-api.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-stdlib-api.ts', gr, '--out', out, '--quiet'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const fresh = readFileSync(out, 'utf8');
    const current = readFileSync(fileURLToPath(STDLIB_DATA_URL), 'utf8');
    if (fresh !== current) {
      const a = current.split('\n');
      const b = fresh.split('\n');
      const i = a.findIndex((l, k) => l !== b[k]);
      assert.fail(`data/stdlib-api.json differs from the API of ${gr} (first at line ${i + 1}); run npm run gen:stdlib`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generator rejects a directory that is not a GOROOT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stdlib-api-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-stdlib-api.ts', dir, '--out', join(dir, 'x.json')], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no api directory at .*is .* a Go installation/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
