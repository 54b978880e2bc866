// The browser playground: `build` bundles the analyser and the page into playground/dist/
// (esbuild, platform browser, the standard-library data and one example per rule embedded);
// `serve` builds, then serves that directory on 127.0.0.1 and prints the URL.
//   node --import tsx scripts/playground.ts build [--out DIR]
//   node --import tsx scripts/playground.ts serve [--port N] [--out DIR]
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { collectExamples, type Example } from './playground-examples.js';

const REPO = new URL('../', import.meta.url).pathname;
export const DEFAULT_OUT = join(REPO, 'playground/dist');

/** Node built-in modules (with or without the node: prefix). */
const BUILTIN = /^(node:.*|assert|buffer|child_process|crypto|events|fs|fs\/promises|http|https|module|net|os|path|process|stream|tls|url|util|worker_threads|zlib)$/;

/** Records every import of a Node built-in instead of failing at the first, so that all are named. */
function nodeImportGuard(found: { path: string; importer: string }[]): Plugin {
  return {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: BUILTIN }, (args) => {
        found.push({ path: args.path, importer: args.importer.startsWith(REPO) ? args.importer.slice(REPO.length) : args.importer });
        return { path: args.path, external: true };
      });
    },
  };
}

export interface BundleResult {
  /** The bundled JavaScript. */
  code: string;
  /** Imports of Node built-ins that the bundle would need (must be empty). */
  nodeImports: { path: string; importer: string }[];
  metafile: Metafile;
}

/** Bundles `entry` for the browser, in memory. */
export async function bundleForBrowser(entry: string, define: Record<string, string> = {}, minify = false, globalName?: string): Promise<BundleResult> {
  const nodeImports: { path: string; importer: string }[] = [];
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2022'],
    write: false,
    metafile: true,
    minify,
    legalComments: 'none',
    logLevel: 'silent',
    define,
    ...(globalName ? { globalName } : {}),
    plugins: [nodeImportGuard(nodeImports)],
  });
  return { code: r.outputFiles[0]!.text, nodeImports, metafile: r.metafile };
}

export interface BuildOutput {
  dir: string;
  examples: Example[];
  bytes: number;
}

/** Builds the playground into `out`. Throws when the bundle would need a Node built-in. */
export async function buildPlayground(out = DEFAULT_OUT): Promise<BuildOutput> {
  const examples = collectExamples();
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  const stdlib = readFileSync(join(REPO, 'data/stdlib-api.json'), 'utf8');
  const b = await bundleForBrowser(join(REPO, 'playground/app.ts'), {
    __DEFERGUARD_STDLIB__: JSON.stringify(stdlib),
    __DEFERGUARD_EXAMPLES__: JSON.stringify(examples),
    __DEFERGUARD_VERSION__: JSON.stringify(version),
  }, true);
  if (b.nodeImports.length > 0) {
    throw new Error(`the browser bundle pulls in Node built-ins: ${b.nodeImports.map((x) => `${x.path} (from ${x.importer})`).join(', ')}`);
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'app.js'), b.code);
  copyFileSync(join(REPO, 'playground/index.html'), join(out, 'index.html'));
  return { dir: out, examples, bytes: Buffer.byteLength(b.code) };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** Serves `dir` on 127.0.0.1 (GET and HEAD only, nothing outside `dir`). Resolves with the server and its URL. */
export function servePlayground(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end('bad path');
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('outside the playground');
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      const p = typeof a === 'object' && a ? a.port : port;
      ok({ server, url: `http://127.0.0.1:${p}/` });
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  let out = DEFAULT_OUT;
  let port = 8411;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--out') out = resolve(rest[++i] ?? '');
    else if (a === '--port') {
      port = Number(rest[++i]);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`playground: --port needs a port number (0-65535)\n`);
        return 2;
      }
    } else {
      process.stderr.write(`playground: unknown argument ${JSON.stringify(a)}\n`);
      return 2;
    }
  }
  if (cmd !== 'build' && cmd !== 'serve') {
    process.stderr.write('usage: playground.ts build [--out DIR] | serve [--port N] [--out DIR]\n');
    return 2;
  }
  const t0 = performance.now();
  const b = await buildPlayground(out);
  process.stdout.write(`playground: built ${b.dir} (${(b.bytes / 1024).toFixed(0)} KiB of JavaScript, ${b.examples.length} examples) in ${Math.round(performance.now() - t0)} ms\n`);
  if (cmd === 'build') return 0;
  const { url } = await servePlayground(out, port);
  process.stdout.write(`playground: serving on ${url} (Ctrl-C to stop)\n`);
  return new Promise<number>(() => {});
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (c) => {
      if (c !== 0) process.exitCode = c;
    },
    (e: unknown) => {
      process.stderr.write(`playground: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
