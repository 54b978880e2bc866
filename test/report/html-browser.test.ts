// Renders the HTML report in headless Chromium: the page must load with no external requests,
// its script must run (filters apply, counts shown), and a screenshot is written for a person
// to look at (DEFERGUARD_SCREENSHOT_DIR keeps it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from '../../src/report/html.js';
import { FINDINGS, RULES, source } from './fixtures.js';

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

const chromium = findChromium();

function runChromium(dir: string, args: string[]): string {
  const profile = mkdtempSync(join(dir, 'profile-'));
  const r = spawnSync(chromium!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args,
  ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.error, undefined, `chromium failed to start: ${r.error?.message}`);
  return r.stdout;
}

test('the HTML report renders in headless Chromium and its filters work', { skip: chromium ? false : 'chromium is not installed (apt-get install chromium)', timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-html-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, format(FINDINGS, RULES, { source, toolVersion: '0.1.0', title: 'deferguard <report>' }));
    const url = pathToFileURL(page).href;

    const dom = runChromium(dir, ['--dump-dom', url]);
    assert.match(dom, /<span id="shown">showing 4 of 4<\/span>/, 'the script ran');
    assert.ok(!dom.includes('<script>alert(1)</script>'), 'no markup from findings reached the DOM');
    assert.equal((dom.match(/<article [^>]*hidden/g) ?? []).length, 0);

    const filtered = runChromium(dir, ['--dump-dom', `${url}#q=os.open&sev=critical,high`]);
    assert.match(filtered, /showing 1 of 4/, 'text and severity filters from the URL apply');
    const visible = [...filtered.matchAll(/<article class="finding [^"]*" data-severity="(\w+)" data-rule="([^"]+)"(?![^>]*hidden)/g)].map((m) => m[2]);
    assert.deepEqual(visible, ['defer-in-loop']);

    const byRule = runChromium(dir, ['--dump-dom', `${url}#rule=recover-ineffective`]);
    assert.match(byRule, /showing 1 of 4/, 'rule filter applies');

    const png = join(dir, 'report.png');
    runChromium(dir, ['--hide-scrollbars', '--window-size=1280,1400', `--screenshot=${png}`, url]);
    assert.ok(existsSync(png) && statSync(png).size > 10_000, 'a screenshot was written');
    assert.deepEqual([...readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const keep = process.env.DEFERGUARD_SCREENSHOT_DIR;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(png, join(keep, 'html-report.png'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
