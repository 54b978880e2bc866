// JUnit XML: one test suite per file, one failing test case per finding; a clean run is one
// passing case so that test dashboards show the check ran.
import type { Finding, RuleMeta } from '../findings/model.js';
import { escapeXml, ruleLookup, type ReportOptions } from './common.js';

export function format(findings: readonly Finding[], rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const lookup = ruleLookup(rules);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, (l = []));
    l.push(f);
  }
  const ts = opts.timestamp ? ` timestamp="${escapeXml(opts.timestamp)}"` : '';
  const total = Math.max(1, findings.length);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="deferguard" tests="${total}" failures="${findings.length}" errors="0">`];
  if (findings.length === 0) {
    out.push(`  <testsuite name="deferguard" tests="1" failures="0" errors="0"${ts}>`);
    out.push('    <testcase name="no findings" classname="deferguard"></testcase>');
    out.push('  </testsuite>');
  }
  for (const file of [...byFile.keys()].sort()) {
    const list = byFile.get(file)!;
    out.push(`  <testsuite name="${escapeXml(file)}" tests="${list.length}" failures="${list.length}" errors="0"${ts}>`);
    for (const f of list) {
      const name = `${f.rule}: ${f.file}:${f.line}:${f.column}`;
      const body = [
        `${f.severity} [${f.rule}] ${f.message}`,
        `at ${f.file}:${f.line}:${f.column}`,
        ...f.related.map((r) => `  ${r.file}:${r.line}:${r.column}: ${r.message}`),
        `docs: ${lookup(f.rule, f.severity).docUrl}`,
      ].join('\n');
      out.push(`    <testcase name="${escapeXml(name)}" classname="${escapeXml(f.file)}">`);
      out.push(`      <failure message="${escapeXml(f.message)}" type="${escapeXml(f.severity)}">${escapeXml(body)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
