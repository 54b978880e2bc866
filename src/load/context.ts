// The build context files are selected for: GOOS, GOARCH, cgo, tags, the toolchain's release and
// tool tags. Taken from the installed `go` when there is one, else derived from the host.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { releaseTagsFor, type BuildContext } from '../syntax/constraint.js';

/** The newest Go release whose tags (`go1.N`) are assumed without a toolchain. */
export const ASSUMED_GO_RELEASE = 'go1.26';

const PLATFORM_TO_GOOS: Record<string, string> = {
  aix: 'aix',
  android: 'android',
  darwin: 'darwin',
  freebsd: 'freebsd',
  linux: 'linux',
  netbsd: 'netbsd',
  openbsd: 'openbsd',
  sunos: 'solaris',
  win32: 'windows',
};

const ARCH_TO_GOARCH: Record<string, string> = {
  arm: 'arm',
  arm64: 'arm64',
  ia32: '386',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
  ppc: 'ppc',
  ppc64: 'ppc64le',
  riscv64: 'riscv64',
  s390: 's390',
  s390x: 's390x',
  x64: 'amd64',
};

export function hostGoos(): string {
  return PLATFORM_TO_GOOS[process.platform] ?? process.platform;
}

export function hostGoarch(): string {
  if (process.arch === 'ppc64') return process.platform === 'aix' ? 'ppc64' : 'ppc64le';
  return ARCH_TO_GOARCH[process.arch] ?? process.arch;
}

/** Tool tags for an architecture's default feature level (GOAMD64=v1, GOARM=7 on linux, ...). */
export function defaultToolTags(goarch: string): string[] {
  switch (goarch) {
    case 'amd64':
      return ['amd64.v1'];
    case '386':
      return ['386.sse2'];
    case 'arm':
      return ['arm.5', 'arm.6', 'arm.7'];
    case 'arm64':
      return ['arm64.v8.0'];
    case 'ppc64':
    case 'ppc64le':
      return [`${goarch}.power8`];
    case 'riscv64':
      return ['riscv64.rva20u64'];
    case 'wasm':
      return ['wasm.satconv', 'wasm.signext'];
    default:
      return [];
  }
}

export interface ContextOptions {
  goos?: string;
  goarch?: string;
  cgo?: boolean;
  tags?: string[];
  /** Use the `go` command to learn the toolchain's context (default true). */
  useGo?: boolean;
  /** The `go` executable (default "go"). */
  goBin?: string;
}

export interface ResolvedContext {
  ctx: BuildContext;
  /** Where the context came from: "go" or "host". */
  from: 'go' | 'host';
  /** The toolchain version (e.g. go1.26.1) when known. */
  goVersion: string;
  /** Why the `go` command was not used, for verbose logs ("" when it was). */
  note: string;
}

/** Splits a `--tags` value the way the go command does (comma- or space-separated). */
export function splitTags(value: string): string[] {
  return value.split(/[,\s]+/).filter((t) => t !== '');
}

let goContextCache: Map<string, { goos: string; goarch: string; cgo: boolean; toolTags: string[]; releaseTags: string[]; compiler: string; version: string } | string> =
  new Map();

function queryGo(goBin: string, env: NodeJS.ProcessEnv): ReturnType<typeof goContextCache.get> {
  const key = `${goBin}\0${env.GOOS ?? ''}\0${env.GOARCH ?? ''}\0${env.CGO_ENABLED ?? ''}`;
  const hit = goContextCache.get(key);
  if (hit !== undefined) return hit;
  const fmt = '{{context.GOOS}}|{{context.GOARCH}}|{{context.CgoEnabled}}|{{join context.ToolTags ","}}|{{join context.ReleaseTags ","}}|{{context.Compiler}}';
  const r = spawnSync(goBin, ['list', '-e', '-f', fmt, 'unsafe'], {
    cwd: tmpdir(),
    env: { ...env, GOWORK: 'off', GO111MODULE: 'on', GOFLAGS: '' },
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 1 << 20,
  });
  let out: ReturnType<typeof goContextCache.get>;
  if (r.error) out = `cannot run ${goBin}: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH' : r.error.message}`;
  else if (r.status !== 0) out = `${goBin} list failed (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}`;
  else {
    const parts = r.stdout.trim().split('|');
    if (parts.length !== 6) out = `unexpected output from ${goBin} list: ${r.stdout.slice(0, 200)}`;
    else {
      const rel = parts[4]!.split(',').filter(Boolean);
      out = {
        goos: parts[0]!,
        goarch: parts[1]!,
        cgo: parts[2] === 'true',
        toolTags: parts[3]!.split(',').filter(Boolean),
        releaseTags: rel,
        compiler: parts[5]!,
        version: rel.length ? rel[rel.length - 1]! : '',
      };
    }
  }
  goContextCache.set(key, out);
  return out;
}

/** Clears the memo of `go` answers (tests). */
export function resetContextCache(): void {
  goContextCache = new Map();
}

/**
 * The build context for loading. Explicit options win; then the installed Go's context (which
 * honours GOOS/GOARCH/CGO_ENABLED from the environment); then the host platform.
 */
export function resolveContext(opts: ContextOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedContext {
  const tags = opts.tags ?? [];
  let note = '';
  if (opts.useGo !== false) {
    const goEnv = { ...env };
    if (opts.goos) goEnv.GOOS = opts.goos;
    if (opts.goarch) goEnv.GOARCH = opts.goarch;
    if (opts.cgo !== undefined) goEnv.CGO_ENABLED = opts.cgo ? '1' : '0';
    const q = queryGo(opts.goBin ?? 'go', goEnv);
    if (q && typeof q !== 'string') {
      return {
        ctx: {
          goos: q.goos,
          goarch: q.goarch,
          compiler: q.compiler || 'gc',
          cgoEnabled: q.cgo,
          buildTags: tags,
          toolTags: q.toolTags,
          releaseTags: q.releaseTags,
        },
        from: 'go',
        goVersion: q.version,
        note: '',
      };
    }
    note = typeof q === 'string' ? q : 'go not available';
  } else note = 'use of the go command disabled';
  const goos = opts.goos ?? env.GOOS ?? hostGoos();
  const goarch = opts.goarch ?? env.GOARCH ?? hostGoarch();
  // Like the go command: cgo defaults on for native builds, off when cross-compiling.
  const native = goos === hostGoos() && goarch === hostGoarch();
  const cgo = opts.cgo ?? (env.CGO_ENABLED !== undefined ? env.CGO_ENABLED === '1' : native);
  return {
    ctx: {
      goos,
      goarch,
      compiler: 'gc',
      cgoEnabled: cgo,
      buildTags: tags,
      toolTags: defaultToolTags(goarch),
      releaseTags: releaseTagsFor(ASSUMED_GO_RELEASE),
    },
    from: 'host',
    goVersion: '',
    note,
  };
}
