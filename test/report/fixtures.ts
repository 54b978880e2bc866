// Findings and sources shared by the report tests, including hostile text: markdown and HTML
// markup, ANSI escapes, workflow-command injection, percent signs, non-ASCII columns.
import type { Finding, RuleMeta } from '../../src/findings/model.js';
import { docUrl } from '../../src/findings/model.js';

export const NASTY = 'close `f` | <script>alert(1)</script> **bold** [x](http://evil) @octocat #12 \x1b[31mred\x1b[0m 100% done\n::set-output name=x::y %0A::add-mask::z';

export const SOURCES: Record<string, string> = {
  'cmd/server/main.go': [
    'package main',
    '',
    'import "os"',
    '',
    'func main() {',
    '\tfor _, n := range os.Args {',
    '\t\tf, _ := os.Open(n)',
    '\t\tdefer f.Close() // héllo <b>&amp;</b>',
    '\t}',
    '\tdefer cleanup()',
    '\tos.Exit(1)',
    '}',
    '',
  ].join('\n'),
  'pkg/x/ütf.go': 'package x\n\nfunc g() { s := "日本"; defer recover() }\n',
};

export const RULES: RuleMeta[] = [
  { id: 'defer-in-loop', severity: 'high', summary: 'A defer directly in a loop body holds resources until the function returns.', enabledByDefault: true, fixable: true, category: 'lifetime', docUrl: docUrl('defer-in-loop') },
  { id: 'exit-skips-defer', severity: 'high', summary: 'os.Exit after a defer: the deferred call never runs.', enabledByDefault: true, fixable: false, category: 'panics', docUrl: docUrl('exit-skips-defer') },
  { id: 'recover-ineffective', severity: 'high', summary: 'recover() that cannot stop a panic.', enabledByDefault: true, fixable: false, category: 'panics', docUrl: docUrl('recover-ineffective') },
];

const deferLine = SOURCES['cmd/server/main.go']!.split('\n').slice(0, 7).join('\n').length + 1; // offset of line 8

export const FINDINGS: Finding[] = [
  {
    rule: 'defer-in-loop', severity: 'critical', confidence: 'high', file: 'cmd/server/main.go', line: 8, column: 3, endLine: 8, endColumn: 18,
    offset: deferLine + 2, endOffset: deferLine + 17,
    message: 'file f from os.Open on line 7 stays open until main returns',
    related: [{ file: 'cmd/server/main.go', line: 7, column: 3, endLine: 7, endColumn: 21, message: 'opened here' }],
    fixes: [{ message: 'wrap the loop body in a function literal', edits: [{ file: 'cmd/server/main.go', offset: deferLine + 2, endOffset: deferLine + 17, newText: 'func() { defer f.Close() }()' }] }],
    fingerprint: '0123456789abcdef0123456789abcdef',
  },
  {
    rule: 'exit-skips-defer', severity: 'high', confidence: 'medium', file: 'cmd/server/main.go', line: 11, column: 2, endLine: 11, endColumn: 12,
    message: NASTY, related: [{ file: 'cmd/server/main.go', line: 10, column: 2, endLine: 10, endColumn: 17, message: 'deferred <here> | `x`' }],
  },
  {
    rule: 'recover-ineffective', severity: 'medium', confidence: 'high', file: 'pkg/x/ütf.go', line: 3, column: 27, endLine: 3, endColumn: 42,
    message: 'recover() called directly by defer cannot stop a panic', related: [],
  },
  {
    rule: 'custom,rule:with%chars', severity: 'low', confidence: 'low', file: 'weird, name:%.go', line: 1, column: 1, endLine: 1, endColumn: 2,
    message: 'line1\r\nline2', related: [],
  },
];

export const source = (file: string): string | undefined => SOURCES[file];
