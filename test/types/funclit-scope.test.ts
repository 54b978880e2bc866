// A function literal's parameter and result types are resolved with the imports of the file that
// holds the literal, not those of the package's first file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as ast from '../../src/syntax/ast.js';
import { inspect } from '../../src/syntax/nodes.js';
import { parseFile } from '../../src/syntax/parser.js';
import { checkPackage } from '../../src/types/check.js';

function parsed(name: string, text: string) {
  const r = parseFile(name, text);
  assert.deepEqual(r.errors, []);
  return { file: r.file, source: r.source };
}

function calls(file: ast.File): ast.CallExpr[] {
  const out: ast.CallExpr[] = [];
  inspect(file, (n) => {
    if (n.kind === 'CallExpr') out.push(n);
  });
  return out;
}

const first = parsed('a.go', ['package p', '', 'import "time"', '', 'type Batch struct{ At time.Time }', ''].join('\n'));
const second = parsed(
  'b.go',
  [
    'package p',
    '',
    'import (',
    '\t"net/http"',
    '\tstr "strings"',
    ')',
    '',
    'func send(c *http.Client, u string) error {',
    '\tpost := func(body string) (*http.Response, error) { return c.Post(u, "text/plain", str.NewReader(body)) }',
    '\tresp, err := post("x")',
    '\tif err != nil {',
    '\t\treturn err',
    '\t}',
    '\treturn resp.Body.Close()',
    '}',
    '',
  ].join('\n'),
);

test("a literal's result type names an import only its own file has", () => {
  for (const order of [[first, second], [second, first]]) {
    const r = checkPackage({ path: 'example.com/m/p', name: 'p', files: order.map((f) => ({ file: f.file, source: f.source })) });
    const names = calls(second.file).map((c) => r.info.callee(c)?.name ?? null);
    assert.deepEqual(names, ['(*net/http.Client).Post', 'strings.NewReader', 'post', '(io.Closer).Close'], `files in order ${order.map((f) => f.file.name.name).join(',')}`);
  }
});
