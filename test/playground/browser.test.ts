// The playground in headless Chromium, driven over the DevTools protocol: the page loads from the
// local server with no other request, a pasted snippet is analysed and its findings listed, a
// click on a finding selects its line, the URL fragment reproduces the state in a fresh page, an
// example with rule options works, and a screenshot is written (DEFERGUARD_SCREENSHOT_DIR keeps it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlayground, servePlayground } from '../../scripts/playground.js';
import { Browser, findChromium } from './cdp.js';

const chromium = findChromium();

const SNIPPET = `package main

import (
	"fmt"
	"os"
)

func trace(name string) func() {
	return func() { fmt.Println("leave", name) }
}

func readAll(paths []string) error {
	defer trace("readAll")
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
	}
	return nil
}

func main() {
	if err := readAll(os.Args[1:]); err != nil {
		fmt.Println(err)
	}
}
`;

const FINDINGS = `[...document.querySelectorAll('#findings li.finding')].map((li) => li.dataset.rule + ':' + li.dataset.line)`;

test('the playground analyses pasted code in headless Chromium', { skip: chromium ? false : 'chromium is not installed (apt-get install -y chromium)', timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-play-'));
  const built = await buildPlayground(join(dir, 'site'));
  const { server, url } = await servePlayground(built.dir, 0);
  const browser = await Browser.launch(chromium!);
  try {
    const page = await browser.newPage();
    await page.navigate(url);
    await page.waitFor(`!!document.body && document.body.dataset.ready === '1' && document.body.dataset.state === 'ready'`, 'the page to start');
    // The first example is shown and analysed.
    assert.equal(await page.eval(`document.getElementById('example').value`), 'defer-in-loop');
    assert.ok((await page.eval<string[]>(FINDINGS)).some((x) => x.startsWith('defer-in-loop:')));
    assert.equal(await page.eval(`document.querySelectorAll('#example option[value]:not([value=""])').length`), built.examples.length);

    // Paste a snippet over the editor's content.
    await page.eval(`(() => { const t = document.getElementById('code'); t.focus(); t.select(); return true; })()`);
    await page.send('Input.insertText', { text: SNIPPET });
    const got = await page.waitFor<string[]>(`(() => { const f = ${FINDINGS}; return f.includes('defer-in-loop:19') ? f : null; })()`, 'the findings of the pasted code');
    // Every rule runs in the playground, defer-not-open-coded (off by default) too.
    assert.deepEqual(got, ['defer-func-result-not-called:13', 'defer-in-loop:19', 'defer-not-open-coded:19']);
    assert.equal(await page.eval(`document.querySelector('#findings li[data-rule="defer-not-open-coded"] .off').textContent`), 'off by default');
    const status = await page.eval<string>(`document.getElementById('status').textContent`);
    assert.match(status, /^3 findings · \d+ ms$/);
    const marks = await page.eval<string[]>(`[...document.querySelectorAll('#gutter .mark')].map((d) => d.textContent + ' ' + d.className)`);
    assert.deepEqual(marks, ['13 mark high', '19 mark high']);
    const message = await page.eval<string>(`document.querySelector('#findings li[data-rule="defer-in-loop"] .msg').textContent`);
    assert.match(message, /file f from os\.Open on line 15 stays open until readAll returns/);
    const href = await page.eval<string>(`document.querySelector('#findings li[data-rule="defer-in-loop"] a.rule').href`);
    assert.equal(href, 'https://github.com/deferguard/deferguard/blob/main/docs/rules/defer-in-loop.md');

    // Clicking a finding selects its line in the editor.
    await page.click('#findings li[data-rule="defer-in-loop"] .msg');
    const sel = await page.eval<{ line: number; text: string }>(
      `(() => { const t = document.getElementById('code'); return { line: t.value.slice(0, t.selectionStart).split('\\n').length, text: t.value.slice(t.selectionStart, t.selectionEnd) }; })()`,
    );
    assert.deepEqual(sel, { line: 19, text: 'defer f.Close()' });
    assert.equal(await page.eval(`document.activeElement.id`), 'code');
    assert.equal(await page.eval(`document.getElementById('example').value`), '', 'typing leaves the example');

    // The fragment holds the compressed code: a fresh page shows the same code and findings.
    const hash = await page.waitFor<string>(`location.hash.startsWith('#z=') && location.hash`, 'the URL fragment');
    assert.ok(hash.length < SNIPPET.length * 1.4, `the fragment is compressed (${hash.length} characters)`);
    const shot = await page.screenshot();
    const other = await browser.newPage();
    await other.navigate(url + hash);
    await other.waitFor(`!!document.body && document.body.dataset.ready === '1' && document.body.dataset.state === 'ready'`, 'the shared page to start');
    assert.equal(await other.eval(`document.getElementById('code').value`), SNIPPET);
    assert.deepEqual(await other.eval(FINDINGS), ['defer-func-result-not-called:13', 'defer-in-loop:19', 'defer-not-open-coded:19']);

    // An example that needs rule options (the ban list) brings them along.
    await other.eval(`(() => { const s = document.getElementById('example'); s.value = 'banned-call'; s.dispatchEvent(new Event('change')); return true; })()`);
    const banned = await other.waitFor<string[]>(`(() => { const f = ${FINDINGS}; return f.some((x) => x.startsWith('banned-call:')) ? f : null; })()`, 'the banned-call example');
    assert.ok(banned.length > 0);
    assert.match(await other.eval<string>(`document.getElementById('options').value`), /"banned"/);
    // Broken options are an error in the list, not a crash.
    await other.eval(`(() => { const o = document.getElementById('options'); o.value = '{"banned": 3}'; o.dispatchEvent(new Event('input')); return true; })()`);
    await other.waitFor(`document.querySelector('#findings li.error')`, 'an options error');
    assert.match(await other.eval<string>(`document.querySelector('#findings li.error').textContent`), /banned/);

    // Nothing but the local server was contacted, and no script error happened.
    const foreign = [...page.requests, ...other.requests].filter((u) => !u.startsWith(url) && !u.startsWith('data:') && u !== 'about:blank');
    assert.deepEqual(foreign, []);
    assert.deepEqual([...page.errors, ...other.errors], []);

    assert.deepEqual([...shot.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(shot.length > 20_000, `a real screenshot (${shot.length} bytes)`);
    const keep = process.env.DEFERGUARD_SCREENSHOT_DIR;
    const png = join(dir, 'playground.png');
    writeFileSync(png, shot);
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(png, join(keep, 'playground.png'));
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
