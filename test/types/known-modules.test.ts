// The known third-party packages (data/known-modules-api.json): every listed function and method
// parses, the constructors give the types the exit rules need, and the standard library keeps
// precedence over them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stdlib } from '../../src/types/stdlib.js';

const DATA = JSON.parse(readFileSync(new URL('../../data/known-modules-api.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { funcs?: Record<string, unknown>; vars?: Record<string, unknown>; types?: Record<string, { methods?: Record<string, unknown> }> }>;
};

test('every function, variable and method of the known packages parses', () => {
  const idx = stdlib();
  let n = 0;
  for (const [path, p] of Object.entries(DATA.packages)) {
    const pkg = idx.package(path);
    assert.ok(pkg, path);
    for (const name of [...Object.keys(p.funcs ?? {}), ...Object.keys(p.vars ?? {})]) {
      const m = pkg.member(name);
      assert.ok(m, `${path}.${name}`);
      if (m.kind === 'func') assert.ok(m.signature.params, `${path}.${name}`);
      else if (m.kind === 'var') assert.ok(m.type, `${path}.${name}`);
      n++;
    }
    for (const [type, t] of Object.entries(p.types ?? {})) {
      for (const method of Object.keys(t.methods ?? {})) {
        const mi = idx.lookupMethod(path, type, method, true);
        assert.ok(mi && mi.signature.params, `(${path}.${type}).${method}`);
        n++;
      }
    }
  }
  assert.ok(n > 100, `${n} symbols`);
});

test('constructors give the logger types; the standard library is unchanged', () => {
  const idx = stdlib();
  const ne = idx.package('go.uber.org/zap')!.member('NewExample')!;
  assert.equal(ne.kind, 'func');
  assert.deepEqual(ne.kind === 'func' ? ne.signature.results : undefined, [{ kind: 'pointer', elem: { kind: 'named', pkg: 'go.uber.org/zap', name: 'Logger', args: [] } }]);
  const fatal = idx.lookupMethod('github.com/sirupsen/logrus', 'Entry', 'Fatal', true);
  assert.equal(fatal?.fullName, '(*github.com/sirupsen/logrus.Entry).Fatal');
  assert.equal(idx.lookupMethod('github.com/rs/zerolog', 'Logger', 'Fatal', true)?.fullName, '(*github.com/rs/zerolog.Logger).Fatal');
  // The standard library's log is still the standard library's.
  assert.equal(idx.package('log')!.member('Fatal')?.kind, 'func');
  assert.equal(idx.package('github.com/rs/zerolog/log')!.name, 'log');
});
