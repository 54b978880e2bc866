// defer-before-error-check confidence when the value's type is not known (a result of a
// third-party package that is not loaded), which the fixture harness (messages only) does not
// check: a deferred release call (`Close`) is the shape of a handle and stays high; any other use
// may be on a struct value that is never nil, so it is medium. A callee whose own type is
// unknown makes it medium anyway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

test('defer-before-error-check: an unknown type is high only for a release call', async () => {
  const src = [
    'package p', // 1
    '',
    'import "example.com/ext/acme"',
    '',
    'func open(name string) error {', // 5
    '\tc, err := acme.Dial(name)',
    '\tdefer c.Close()',
    '\tif err != nil {',
    '\t\treturn err',
    '\t}', // 10
    '\treturn c.Ping()',
    '}',
    '',
    'func window(old acme.Info) (changed bool, err error) {',
    '\tinfo, err := acme.Lookup()', // 15
    '\tdefer func() {',
    '\t\tchanged = !info.SameWindow(old)',
    '\t}()',
    '\tif err != nil {',
    '\t\treturn false, err', // 20
    '\t}',
    '\treturn false, nil',
    '}',
    '',
    'func dial(name string) (acme.Conn, error) { return acme.Dial(name) }',
    '',
    'func lookup() (acme.Info, error) { return acme.Lookup() }',
    '',
    'func openLocal(name string) error {',
    '\tc, err := dial(name)',
    '\tdefer c.Close()',
    '\tif err != nil {',
    '\t\treturn err',
    '\t}', // 34
    '\treturn c.Ping()',
    '}',
    '',
    'func windowLocal(old acme.Info) (changed bool, err error) {',
    '\tinfo, err := lookup()', // 39
    '\tdefer func() {',
    '\t\tchanged = !info.SameWindow(old)',
    '\t}()',
    '\tif err != nil {',
    '\t\treturn false, err', // 44
    '\t}',
    '\treturn false, nil',
    '}',
    '',
  ].join('\n');
  const m = tempModule({ 'p.go': src });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['defer-before-error-check'], jobs: 1, useGo: false });
    const got = r.findings.filter((f) => f.rule === 'defer-before-error-check').map((f) => ({ line: f.line, confidence: f.confidence }));
    assert.deepEqual(got, [
      { line: 7, confidence: 'medium' },
      { line: 16, confidence: 'medium' },
      { line: 31, confidence: 'high' },
      { line: 40, confidence: 'medium' },
    ]);
  } finally {
    m.cleanup();
  }
});
