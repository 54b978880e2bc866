// The playground page: a Go file on the left, deferguard's findings on the right, analysed in the
// browser as you type. The state (code, Go version, rule options) lives in the URL fragment, so a
// link reproduces what you see. Bundled by `npm run playground:build`; no network use at all.
import { analyzeSource, parseOptions, ruleMetas, type PlaygroundResult } from '../src/playground/analyze.js';
import type { Finding, RuleMeta } from '../src/findings/model.js';

interface Example {
  rule: string;
  from: string;
  goVersion: string;
  source: string;
  options?: unknown;
}

declare const __DEFERGUARD_EXAMPLES__: Example[];
declare const __DEFERGUARD_VERSION__: string;

const EXAMPLES: Example[] = typeof __DEFERGUARD_EXAMPLES__ !== 'undefined' ? __DEFERGUARD_EXAMPLES__ : [];
const META = new Map<string, RuleMeta>(ruleMetas().map((m) => [m.id, m]));

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const code = $<HTMLTextAreaElement>('code');
const gutter = $<HTMLDivElement>('gutter');
const list = $<HTMLOListElement>('findings');
const status = $<HTMLSpanElement>('status');
const exampleSel = $<HTMLSelectElement>('example');
const goSel = $<HTMLSelectElement>('go');
const optionsText = $<HTMLTextAreaElement>('options');
const optionsBox = $<HTMLDetailsElement>('options-box');
const shareBtn = $<HTMLButtonElement>('share');
const origin = $<HTMLSpanElement>('origin');

// ---------------------------------------------------------------------------------------------
// URL fragment: z=<deflate-raw, base64url> (or s=<base64url> where CompressionStream is missing),
// go=<version>, o=<base64url of the options JSON>.

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

async function encodeState(): Promise<string> {
  const utf8 = new TextEncoder().encode(code.value);
  const parts: string[] = [];
  if (typeof CompressionStream === 'function') parts.push(`z=${toBase64Url(await pipe(utf8, new CompressionStream('deflate-raw')))}`);
  else parts.push(`s=${toBase64Url(utf8)}`);
  parts.push(`go=${encodeURIComponent(goSel.value)}`);
  if (optionsText.value.trim()) parts.push(`o=${toBase64Url(new TextEncoder().encode(optionsText.value))}`);
  return parts.join('&');
}

async function decodeState(hash: string): Promise<{ code?: string; go?: string; options?: string; error?: string }> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const out: { code?: string; go?: string; options?: string; error?: string } = {};
  try {
    const z = params.get('z');
    const s = params.get('s');
    if (z) out.code = new TextDecoder().decode(await pipe(fromBase64Url(z), new DecompressionStream('deflate-raw')));
    else if (s) out.code = new TextDecoder().decode(fromBase64Url(s));
    const o = params.get('o');
    if (o) out.options = new TextDecoder().decode(fromBase64Url(o));
  } catch (e) {
    out.error = `the link's code could not be read (${(e as Error).message}); showing an example instead`;
  }
  const go = params.get('go');
  if (go) out.go = go;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Editor: line numbers, marks on lines with findings, jumping to a line.

let marked = new Map<number, string>();

function renderGutter(): void {
  const n = code.value.split('\n').length;
  const frag = document.createDocumentFragment();
  for (let i = 1; i <= n; i++) {
    const d = document.createElement('div');
    d.textContent = String(i);
    const sev = marked.get(i);
    if (sev) {
      d.className = `mark ${sev}`;
      d.title = 'deferguard finding on this line';
    }
    frag.append(d);
  }
  gutter.replaceChildren(frag);
  gutter.scrollTop = code.scrollTop;
}

function lineHeight(): number {
  return parseFloat(getComputedStyle(code).lineHeight) || 18;
}

function jumpTo(line: number, column = 1): void {
  const lines = code.value.split('\n');
  const l = Math.max(1, Math.min(line, lines.length));
  let start = 0;
  for (let i = 0; i < l - 1; i++) start += lines[i]!.length + 1;
  const text = lines[l - 1] ?? '';
  code.focus();
  code.setSelectionRange(start + Math.min(Math.max(0, column - 1), text.length), start + text.length);
  code.scrollTop = Math.max(0, (l - 4) * lineHeight());
  gutter.scrollTop = code.scrollTop;
  for (const el of gutter.querySelectorAll('.current')) el.classList.remove('current');
  gutter.children[l - 1]?.classList.add('current');
}

// ---------------------------------------------------------------------------------------------
// Findings list.

const SEV_ORDER = ['critical', 'high', 'medium', 'low'];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function renderFindings(r: PlaygroundResult | undefined, error?: string): void {
  list.replaceChildren();
  marked = new Map();
  if (error) {
    list.append(el('li', 'error', error));
    status.textContent = 'not analysed';
    status.dataset.count = '0';
    renderGutter();
    return;
  }
  if (!r) return;
  for (const f of r.findings) {
    const prev = marked.get(f.line);
    if (!prev || SEV_ORDER.indexOf(f.severity) < SEV_ORDER.indexOf(prev)) marked.set(f.line, f.severity);
    list.append(findingItem(f));
  }
  if (r.findings.length === 0) list.append(el('li', 'none', r.ignored ? `main.go is not analysed: ${r.ignored}` : 'No findings.'));
  const n = r.findings.length;
  status.textContent = `${n} finding${n === 1 ? '' : 's'}${r.suppressed ? `, ${r.suppressed} suppressed` : ''} · ${r.ms.toFixed(0)} ms`;
  status.dataset.count = String(n);
  renderGutter();
}

function findingItem(f: Finding): HTMLLIElement {
  const li = el('li', `finding ${f.severity}`);
  li.dataset.rule = f.rule;
  li.dataset.line = String(f.line);
  li.tabIndex = 0;
  const head = el('div', 'head');
  head.append(el('span', `sev ${f.severity}`, f.severity));
  const meta = META.get(f.rule);
  const link = el('a', 'rule', f.rule);
  link.href = meta?.docUrl ?? '#';
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.title = meta?.summary ?? '';
  link.addEventListener('click', (e) => e.stopPropagation());
  head.append(link, el('span', 'loc', `main.go:${f.line}:${f.column}`));
  if (meta && !meta.enabledByDefault) head.append(el('span', 'off', 'off by default'));
  if (f.confidence !== 'high') head.append(el('span', 'conf', `${f.confidence} confidence`));
  li.append(head, el('div', 'msg', f.message));
  if (f.related.length > 0) {
    const rel = el('ul', 'related');
    for (const r of f.related) {
      const item = el('li', '', `line ${r.line}: ${r.message}`);
      item.addEventListener('click', (e) => {
        e.stopPropagation();
        jumpTo(r.line, r.column);
      });
      rel.append(item);
    }
    li.append(rel);
  }
  if (f.fixes?.length) li.append(el('div', 'fix', `fix: ${f.fixes[0]!.message}`));
  li.addEventListener('click', () => jumpTo(f.line, f.column));
  li.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') jumpTo(f.line, f.column);
  });
  return li;
}

// ---------------------------------------------------------------------------------------------
// Analysis on input (debounced), and the URL kept in step.

let timer: number | undefined;
let generation = 0;

function analyseNow(): void {
  const gen = ++generation;
  document.body.dataset.state = 'analysing';
  let options;
  try {
    options = parseOptions(optionsText.value);
    optionsText.classList.remove('bad');
  } catch (e) {
    optionsText.classList.add('bad');
    optionsBox.open = true;
    renderFindings(undefined, (e as Error).message);
    document.body.dataset.state = 'ready';
    return;
  }
  try {
    const r = analyzeSource(code.value, { goVersion: goSel.value, ...(options ? { options } : {}) });
    renderFindings(r);
  } catch (e) {
    renderFindings(undefined, `analysis failed: ${(e as Error).message}`);
  }
  void encodeState().then((h) => {
    if (gen !== generation) return;
    history.replaceState(null, '', `#${h}`);
    document.body.dataset.state = 'ready';
  });
}

function schedule(): void {
  renderGutter();
  if (timer !== undefined) clearTimeout(timer);
  timer = window.setTimeout(analyseNow, 150);
}

function loadExample(rule: string): void {
  const ex = EXAMPLES.find((x) => x.rule === rule);
  if (!ex) return;
  code.value = ex.source;
  goSel.value = ex.goVersion;
  if (goSel.value !== ex.goVersion) goSel.value = '1.22';
  optionsText.value = ex.options ? JSON.stringify(ex.options, null, 2) : '';
  optionsBox.open = ex.options !== undefined;
  origin.textContent = `from ${ex.from}`;
  code.scrollTop = 0;
  analyseNow();
}

async function start(): Promise<void> {
  for (const ex of EXAMPLES) {
    const o = document.createElement('option');
    o.value = ex.rule;
    o.textContent = ex.rule;
    exampleSel.append(o);
  }
  $('version').textContent = `deferguard ${typeof __DEFERGUARD_VERSION__ === 'string' ? __DEFERGUARD_VERSION__ : ''}`;
  code.addEventListener('input', () => {
    origin.textContent = '';
    exampleSel.value = '';
    schedule();
  });
  code.addEventListener('scroll', () => (gutter.scrollTop = code.scrollTop));
  code.addEventListener('keydown', (e) => {
    // Tab indents, as in a Go editor.
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      document.execCommand('insertText', false, '\t');
    }
  });
  optionsText.addEventListener('input', schedule);
  goSel.addEventListener('change', analyseNow);
  exampleSel.addEventListener('change', () => {
    if (exampleSel.value) loadExample(exampleSel.value);
  });
  shareBtn.addEventListener('click', async () => {
    const url = `${location.origin}${location.pathname}#${await encodeState()}`;
    history.replaceState(null, '', url);
    try {
      await navigator.clipboard.writeText(url);
      shareBtn.textContent = 'Link copied';
    } catch {
      shareBtn.textContent = 'Link in the address bar';
    }
    setTimeout(() => (shareBtn.textContent = 'Share'), 2000);
  });
  window.addEventListener('hashchange', () => void restore());
  await restore();
}

async function restore(): Promise<void> {
  const st = await decodeState(location.hash);
  if (st.code !== undefined) {
    if (code.value === st.code && goSel.value === (st.go ?? goSel.value) && optionsText.value === (st.options ?? '')) return;
    code.value = st.code;
    if (st.go) goSel.value = st.go;
    optionsText.value = st.options ?? '';
    optionsBox.open = optionsText.value !== '';
    analyseNow();
  } else {
    const first = EXAMPLES.find((x) => x.rule === 'defer-in-loop') ?? EXAMPLES[0];
    if (first) {
      exampleSel.value = first.rule;
      loadExample(first.rule);
    } else analyseNow();
    if (st.error) status.textContent = st.error;
  }
}

void start().then(() => (document.body.dataset.ready = '1'));
