// A small Chrome DevTools Protocol client for tests: starts headless Chromium with a debugging
// port on 127.0.0.1, speaks WebSocket (RFC 6455, client side: masked frames out, fragmented and
// 64-bit-length frames in) over a plain HTTP upgrade, and sends commands to one page session.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

class WebSocketClient {
  private buf = Buffer.alloc(0);
  private parts: Buffer[] = [];
  onMessage: (text: string) => void = () => {};
  onClose: () => void = () => {};

  constructor(private readonly sock: Socket, head: Buffer) {
    sock.on('data', (d: Buffer) => this.feed(d));
    sock.on('close', () => this.onClose());
    sock.on('error', () => this.onClose());
    if (head.length) this.feed(head);
  }

  static connect(url: string): Promise<WebSocketClient> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request({
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
      });
      req.on('upgrade', (_res, sock, head) => resolve(new WebSocketClient(sock, head)));
      req.on('response', (res) => reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
  }

  send(text: string): void {
    const payload = Buffer.from(text, 'utf8');
    const n = payload.length;
    const head = n < 126 ? Buffer.from([0x81, 0x80 | n]) : n < 65536 ? Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff]) : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), u64(n)]);
    const mask = randomBytes(4);
    const body = Buffer.alloc(n);
    for (let i = 0; i < n; i++) body[i] = payload[i]! ^ mask[i & 3]!;
    this.sock.write(Buffer.concat([head, mask, body]));
  }

  close(): void {
    this.sock.destroy();
  }

  private feed(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length < 2) return;
      const b0 = this.buf[0]!;
      const b1 = this.buf[1]!;
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const maskKey = masked ? this.buf.subarray(off, off + 4) : undefined;
      if (masked) off += 4;
      if (this.buf.length < off + len) return;
      let payload = this.buf.subarray(off, off + len);
      if (maskKey) payload = Buffer.from(payload.map((x, i) => x ^ maskKey[i & 3]!));
      this.buf = this.buf.subarray(off + len);
      const op = b0 & 0x0f;
      if (op === 0x8) {
        this.close();
        return;
      }
      if (op === 0x9) continue; // ping: Chromium does not send them to clients
      if (op === 0x1 || op === 0x2 || op === 0x0) {
        this.parts.push(Buffer.from(payload));
        if (b0 & 0x80) {
          const text = Buffer.concat(this.parts).toString('utf8');
          this.parts = [];
          this.onMessage(text);
        }
      }
    }
  }
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void; method: string }>();
  private readonly listeners: ((method: string, params: unknown, sessionId?: string) => void)[] = [];

  private constructor(
    private readonly proc: ChildProcess,
    private readonly ws: WebSocketClient,
    private readonly profile: string,
  ) {
    ws.onMessage = (text) => {
      const m = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown; sessionId?: string };
      if (m.id !== undefined) {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.fail(new Error(`${p.method}: ${m.error.message}`));
        else p.ok(m.result);
      } else if (m.method) {
        for (const l of this.listeners) l(m.method, m.params, m.sessionId);
      }
    };
    ws.onClose = () => {
      for (const p of this.pending.values()) p.fail(new Error(`${p.method}: the browser closed the connection`));
      this.pending.clear();
    };
  }

  static async launch(executable: string, timeoutMs = 30_000): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'dg-chromium-'));
    const proc = spawn(executable, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--no-default-browser-check', `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      const t = setTimeout(() => reject(new Error(`chromium did not print its DevTools address within ${timeoutMs} ms:\n${err}`)), timeoutMs);
      proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
      proc.on('exit', (c) => {
        clearTimeout(t);
        reject(new Error(`chromium exited with ${c}:\n${err}`));
      });
    });
    const ws = await WebSocketClient.connect(url);
    return new Browser(proc, ws, profile);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((ok, fail) => {
      const t = setTimeout(() => {
        this.pending.delete(id);
        fail(new Error(`${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { ok: (v) => (clearTimeout(t), ok(v as T)), fail: (e) => (clearTimeout(t), fail(e)), method });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  on(fn: (method: string, params: unknown, sessionId?: string) => void): void {
    this.listeners.push(fn);
  }

  /** Opens a page and returns a handle bound to its session. */
  async newPage(width = 1280, height = 820): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Network.enable');
    await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    return page;
  }

  async close(): Promise<void> {
    try {
      await this.send('Browser.close', {}, undefined, 5000);
    } catch {
      // already gone
    }
    this.ws.close();
    if (this.proc.exitCode === null) {
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          this.proc.kill('SIGKILL');
          r();
        }, 5000);
        this.proc.once('exit', () => (clearTimeout(t), r()));
      });
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  readonly errors: string[] = [];
  readonly requests: string[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly sessionId: string,
  ) {
    browser.on((method, params, sid) => {
      if (sid !== sessionId) return;
      if (method === 'Network.requestWillBeSent') {
        this.requests.push((params as { request: { url: string } }).request.url);
      } else if (method === 'Runtime.exceptionThrown') {
        const d = (params as { exceptionDetails: { text: string; exception?: { description?: string } } }).exceptionDetails;
        this.errors.push(d.exception?.description ?? d.text);
      } else if (method === 'Runtime.consoleAPICalled') {
        const p = params as { type: string; args: { value?: unknown; description?: string }[] };
        if (p.type === 'error') this.errors.push(p.args.map((a) => String(a.value ?? a.description)).join(' '));
      }
    });
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.browser.send<T>(method, params, this.sessionId);
  }

  /** Evaluates an expression in the page and returns its value (awaiting promises). */
  async eval<T = unknown>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) throw new Error(`page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** Polls `expression` until it is truthy; returns its value. */
  async waitFor<T = unknown>(expression: string, what: string, timeoutMs = 20_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.eval<T>(expression);
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; page errors: ${JSON.stringify(this.errors)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async navigate(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  /** A real mouse click at the centre of the first element matching `selector`. */
  async click(selector: string): Promise<void> {
    const box = await this.eval<{ x: number; y: number } | null>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null; e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return { x: r.left + Math.min(40, r.width / 2), y: r.top + r.height / 2 }; })()`,
    );
    if (!box) throw new Error(`no element matches ${selector}`);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    }
  }

  async screenshot(): Promise<Buffer> {
    const r = await this.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(r.data, 'base64');
  }
}
