// Markdown: a table of findings per severity (for PR comments, step summaries, wikis). All text
// from the analysed code is escaped; nothing in it can form links, HTML or mentions.
import { SEVERITIES, type Finding, type RuleMeta } from '../findings/model.js';
import { encodePathForUri, escapeMarkdown, ruleLookup, summaryLine, type ReportOptions } from './common.js';

function url(base: string, file: string, line: number): string {
  const u = `${base.endsWith('/') ? base : base + '/'}${encodePathForUri(file)}#L${line}`;
  return u.replace(/[()\s<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function format(findings: readonly Finding[], rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const lookup = ruleLookup(rules);
  const out: string[] = [`## ${escapeMarkdown(opts.title ?? 'deferguard')}`, '', `**${escapeMarkdown(summaryLine(findings))}**`];
  for (const sev of SEVERITIES) {
    const list = findings.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    out.push('', `### ${sev[0]!.toUpperCase()}${sev.slice(1)} (${list.length})`, '', '| Location | Rule | Message |', '| --- | --- | --- |');
    for (const f of list) {
      const locText = escapeMarkdown(`${f.file}:${f.line}:${f.column}`);
      const loc = opts.linkBase ? `[${locText}](${url(opts.linkBase, f.file, f.line)})` : locText;
      const rule = `[${escapeMarkdown(f.rule)}](${lookup(f.rule, f.severity).docUrl.replace(/[()\s<>]/g, encodeURIComponent)})`;
      const related = f.related.map((r) => `<br>↳ ${escapeMarkdown(`${r.file}:${r.line}:${r.column}: ${r.message}`)}`).join('');
      const conf = f.confidence === 'high' ? '' : ` *(confidence: ${f.confidence})*`;
      out.push(`| ${loc} | ${rule} | ${escapeMarkdown(f.message)}${conf}${related} |`);
    }
  }
  return out.join('\n') + '\n';
}
