// Checkstyle XML (consumed by Jenkins, reviewdog -f=checkstyle, many CI dashboards).
import type { Finding, RuleMeta, Severity } from '../findings/model.js';
import { escapeXml, type ReportOptions } from './common.js';

function level(s: Severity): 'error' | 'warning' | 'info' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'info';
}

export function format(findings: readonly Finding[], _rules: readonly RuleMeta[], _opts: ReportOptions = {}): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, (l = []));
    l.push(f);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="8.0">'];
  for (const file of [...byFile.keys()].sort()) {
    out.push(`  <file name="${escapeXml(file)}">`);
    for (const f of byFile.get(file)!) {
      out.push(`    <error line="${f.line}" column="${f.column}" severity="${level(f.severity)}" message="${escapeXml(f.message)}" source="deferguard.${escapeXml(f.rule)}"></error>`);
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return out.join('\n') + '\n';
}
