// One self-contained HTML page (inline CSS and script, no external resources, a CSP that
// forbids loading any): findings grouped by severity and rule, code frames, and client-side
// filters by severity, rule and text. Every piece of analysed text is HTML-escaped.
import { SEVERITIES, type Finding, type RuleMeta } from '../findings/model.js';
import { encodePathForUri, escapeHtml, ruleLookup, sanitizeTerminal, Sources, summaryCounts, summaryLine, toolVersion, type ReportOptions } from './common.js';

/** HTML-escapes text; control and bidi-override characters become visible escapes. */
function h(text: string): string {
  return escapeHtml(sanitizeTerminal(text, true));
}

const CSS = `
:root{--crit:#b3001b;--high:#d9480f;--med:#b08900;--low:#1c7ed6;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--code:#f6f8fa}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line)}h1{font-size:20px;margin:0 0 6px}
.badges span{display:inline-block;margin-right:8px;padding:2px 8px;border-radius:10px;color:#fff;font-weight:600;font-size:12px}
.b-critical{background:var(--crit)}.b-high{background:var(--high)}.b-medium{background:var(--med)}.b-low{background:var(--low)}
#filters{position:sticky;top:0;background:var(--bg);padding:10px 24px;border-bottom:1px solid var(--line);display:flex;gap:16px;flex-wrap:wrap;align-items:center;z-index:1}
#filters input[type=search]{min-width:260px;padding:4px 8px}main{padding:8px 24px 40px}
h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:14px 0 6px}h3 a{font-weight:400;font-size:12px;margin-left:6px}
.finding{border:1px solid var(--line);border-left:4px solid var(--muted);border-radius:6px;margin:8px 0;padding:8px 12px}
.finding.critical{border-left-color:var(--crit)}.finding.high{border-left-color:var(--high)}.finding.medium{border-left-color:var(--med)}.finding.low{border-left-color:var(--low)}
.loc{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;color:var(--muted)}.msg{margin:4px 0}
.conf{font-size:12px;color:var(--muted)}ul.related{margin:4px 0;padding-left:18px;font-size:13px}
pre.frame{tab-size:4;background:var(--code);border-radius:4px;padding:6px 0;margin:6px 0 2px;overflow-x:auto;font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace}
pre.frame span{display:block;padding:0 10px;white-space:pre}pre.frame span.hit{background:#fff1c2}pre.frame i{font-style:normal;color:var(--muted);display:inline-block;min-width:4em;text-align:right;margin-right:12px;user-select:none}
.fix{font-size:12px;color:#1a7f37}#shown{color:var(--muted)}.empty{color:var(--muted);font-style:italic}
`;

const SCRIPT = `
(function(){
  var q=document.getElementById('q'),rule=document.getElementById('rule'),boxes=document.querySelectorAll('input[data-sev]');
  var items=document.querySelectorAll('.finding'),groups=document.querySelectorAll('[data-group]'),shown=document.getElementById('shown');
  function apply(){
    var text=q.value.toLowerCase(),r=rule.value,sev={},n=0;
    boxes.forEach(function(b){sev[b.getAttribute('data-sev')]=b.checked;});
    items.forEach(function(el){
      var ok=sev[el.getAttribute('data-severity')]&&(!r||el.getAttribute('data-rule')===r)&&(!text||el.getAttribute('data-text').indexOf(text)>=0);
      el.hidden=!ok;if(ok)n++;
    });
    groups.forEach(function(g){g.hidden=!g.querySelector('.finding:not([hidden])');});
    shown.textContent='showing '+n+' of '+items.length;
  }
  // A link can preselect filters: #q=text&rule=id&sev=critical,high
  var params={};location.hash.replace(/^#/,'').split('&').forEach(function(kv){var i=kv.indexOf('=');if(i>0)params[kv.slice(0,i)]=decodeURIComponent(kv.slice(i+1));});
  if(params.q)q.value=params.q;
  if(params.rule)rule.value=params.rule;
  if(params.sev){var want=params.sev.split(',');boxes.forEach(function(b){b.checked=want.indexOf(b.getAttribute('data-sev'))>=0;});}
  q.addEventListener('input',apply);rule.addEventListener('change',apply);boxes.forEach(function(b){b.addEventListener('change',apply);});
  apply();
})();
`;

export function format(findings: readonly Finding[], rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const lookup = ruleLookup(rules);
  const src = new Sources(opts.source);
  const counts = summaryCounts(findings);
  const title = opts.title ?? 'deferguard report';
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>${h(title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  out.push('<header>', `<h1>${h(title)}</h1>`, `<div>${h(summaryLine(findings))} — deferguard ${h(toolVersion(opts))}${opts.timestamp ? ` — ${h(opts.timestamp)}` : ''}</div>`,
    `<div class="badges">${SEVERITIES.map((s) => `<span class="b-${s}">${counts[s]} ${s}</span>`).join('')}</div>`, '</header>');
  out.push('<div id="filters">',
    SEVERITIES.map((s) => `<label><input type="checkbox" data-sev="${s}" checked> ${s}</label>`).join(' '),
    `<label>rule <select id="rule"><option value="">all rules</option>${ruleIds.map((r) => `<option value="${h(r)}">${h(r)}</option>`).join('')}</select></label>`,
    '<input type="search" id="q" placeholder="filter by text, file or rule" aria-label="filter by text">', '<span id="shown"></span>', '</div>');
  out.push('<main>');
  if (findings.length === 0) out.push('<p class="empty">No findings.</p>');
  for (const sev of SEVERITIES) {
    const list = findings.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    out.push(`<section data-group="${sev}">`, `<h2>${h(sev[0]!.toUpperCase() + sev.slice(1))} (${list.length})</h2>`);
    for (const id of [...new Set(list.map((f) => f.rule))].sort()) {
      const meta = lookup(id, sev);
      const group = list.filter((f) => f.rule === id);
      out.push(`<div data-group="${sev}/${h(id)}">`, `<h3>${h(id)} (${group.length}) <a href="${h(meta.docUrl)}" rel="noreferrer">docs</a></h3>`);
      if (meta.summary !== id) out.push(`<p class="conf">${h(meta.summary)}</p>`);
      for (const f of group) out.push(findingHtml(f, src, opts));
      out.push('</div>');
    }
    out.push('</section>');
  }
  out.push('</main>', `<script>${SCRIPT}</script>`, '</body>', '</html>');
  return out.join('\n') + '\n';
}

function findingHtml(f: Finding, src: Sources, opts: ReportOptions): string {
  const loc = `${f.file}:${f.line}:${f.column}`;
  const locHtml = opts.linkBase
    ? `<a href="${h(`${opts.linkBase.endsWith('/') ? opts.linkBase : opts.linkBase + '/'}${encodePathForUri(f.file)}#L${f.line}`)}" rel="noreferrer">${h(loc)}</a>`
    : h(loc);
  const text = `${f.file} ${f.rule} ${f.message} ${f.related.map((r) => r.message).join(' ')}`.toLowerCase();
  const parts = [
    `<article class="finding ${f.severity}" data-severity="${f.severity}" data-rule="${h(f.rule)}" data-text="${h(text)}">`,
    `<div class="loc">${locHtml}</div>`,
    `<div class="msg">${h(f.message)}${f.confidence !== 'high' ? ` <span class="conf">(confidence: ${f.confidence})</span>` : ''}</div>`,
  ];
  const frame: string[] = [];
  for (let l = Math.max(1, f.line - 2); l <= f.line + 2; l++) {
    const t = src.line(f.file, l);
    if (t === undefined) continue;
    const hit = l >= f.line && l <= Math.max(f.line, f.endLine);
    frame.push(`<span${hit ? ' class="hit"' : ''}><i>${l}</i>${h(t)}</span>`);
  }
  if (frame.length > 0) parts.push(`<pre class="frame">${frame.join('')}</pre>`);
  if (f.related.length > 0) {
    parts.push(`<ul class="related">${f.related.map((r) => `<li><span class="loc">${h(`${r.file}:${r.line}:${r.column}`)}</span> ${h(r.message)}</li>`).join('')}</ul>`);
  }
  for (const fix of f.fixes ?? []) parts.push(`<div class="fix">suggested fix: ${h(fix.message)}</div>`);
  parts.push('</article>');
  return parts.join('');
}
