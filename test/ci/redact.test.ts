import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redactor } from '../../src/ci/redact.js';
import { checkAnnotations, escapeCommandProperty, workflowCommand } from '../../src/ci/annotations.js';
import { finding } from './helpers.js';

test('redactor: registered secrets, their encodings, webhook URLs, credentials in URLs, token shapes', () => {
  const r = new Redactor(['my-secret-value/+=']);
  r.addUrl('https://example.com/hooks/abc123secretpath?sig=zzz');
  const text = [
    'token my-secret-value/+= here',
    `encoded ${encodeURIComponent('my-secret-value/+=')}`,
    `basic ${Buffer.from('my-secret-value/+=').toString('base64')}`,
    'posting to https://example.com/hooks/abc123secretpath?sig=zzz failed',
    'https://hooks.slack.com/services/T0/B0/unregistered',
    'https://user:pw@ghe.example.com/api',
    'https://x/y?access_token=abcdef&ok=1',
    'ghp_' + 'a'.repeat(36),
    'xoxb-1234567890-abcdef',
  ].join('\n');
  const out = r.redact(text);
  for (const s of ['my-secret-value', 'bXktc2VjcmV0', 'abc123secretpath', 'unregistered', 'user:pw', 'abcdef&', 'aaaaaaaaaaaaaaaaaaaa', 'xoxb-']) assert.ok(!out.includes(s), `${s} in ${out}`);
  assert.ok(out.includes('https://hooks.slack.com/***'));
  assert.ok(out.includes('access_token=***&ok=1'));
  // short strings are not secrets worth destroying messages for
  assert.equal(new Redactor(['ab']).redact('tab cab'), 'tab cab');
});

test('workflow commands escape properties and data', () => {
  const f = finding({ file: 'dir/a,b:c.go', line: 3, column: 4, endColumn: 9, severity: 'medium', rule: 'defer-nil-func', message: '100% nil\nsecond line\r' });
  assert.equal(workflowCommand(f), '::warning file=dir/a%2Cb%3Ac.go,line=3,col=4,endColumn=9,title=deferguard defer-nil-func (medium)::100%25 nil%0Asecond line%0D');
  assert.equal(escapeCommandProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  const multi = finding({ file: 'a.go', line: 3, endLine: 7, severity: 'low' });
  assert.equal(workflowCommand(multi), '::notice file=a.go,line=3,endLine=7,title=deferguard defer-in-loop (low)::defer in loop at line 3');
});

test('check-run annotations: levels, columns only on single lines, UTF-16 columns preferred', () => {
  const [a, b] = checkAnnotations([
    finding({ file: 'b.go', line: 2, endLine: 4, severity: 'critical' }),
    finding({ file: 'a.go', line: 1, column: 7, column16: 5, endColumn: 12, endColumn16: 9, severity: 'low', related: [{ file: 'a.go', line: 9, column: 1, endLine: 9, endColumn: 2, message: 'here' }] }),
  ]);
  assert.deepEqual(a, { path: 'a.go', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'defer in loop at line 1', title: 'defer-in-loop (low)', start_column: 5, end_column: 9, raw_details: 'a.go:9: here' });
  assert.deepEqual(b, { path: 'b.go', start_line: 2, end_line: 4, annotation_level: 'failure', message: 'defer in loop at line 2', title: 'defer-in-loop (critical)' });
});
