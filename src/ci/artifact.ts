// Two-phase delivery for pull requests from forks. Phase 1 runs in the unprivileged
// pull_request job and writes an artifact directory; phase 2 runs in a workflow_run job that
// has a write token, reads the artifact (untrusted input: validated strictly), checks it
// against the workflow run and the pull request, and posts.

import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSeverity } from '../findings/model.js';
import type { Finding, RelatedLocation, SuggestedFix } from '../findings/model.js';
import { parseRepo } from './github.js';
import type { GitHubClient } from './github.js';
import type { WorkflowRunRef } from './env.js';

export const ARTIFACT_VERSION = 1;
export const ARTIFACT_FILE = 'deferguard-ci.json';
export const ARTIFACT_DIFF = 'pr.diff';

const MAX_JSON_BYTES = 50 * 1024 * 1024;
const MAX_DIFF_BYTES = 50 * 1024 * 1024;
const MAX_FINDINGS = 50_000;
const MAX_SOURCE_BYTES = 1024 * 1024;
const MAX_SOURCES_TOTAL = 8 * 1024 * 1024;

export interface CiArtifact {
  version: number;
  repository: string;
  pullRequest: number;
  headSha: string;
  baseSha: string;
  findings: Finding[];
  baselined?: number;
  fixed?: number;
  /** The pull request's unified diff. */
  diff: string;
  /** Head-version text of files with suggested fixes (for ```suggestion``` blocks). */
  sources: Record<string, string>;
}

export class ArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactError';
  }
}

/**
 * Writes the artifact directory. `sources` is filled from readSource for the files of findings
 * that carry a fix, within size limits.
 */
export function writeArtifact(dir: string, a: Omit<CiArtifact, 'version' | 'sources'>, readSource?: (path: string) => Uint8Array | undefined): string[] {
  const sources: Record<string, string> = {};
  let total = 0;
  const files = [...new Set(a.findings.filter((f) => f.fixes && f.fixes.length > 0).map((f) => f.file))].sort();
  for (const file of files) {
    const bytes = readSource?.(file);
    if (!bytes || bytes.length > MAX_SOURCE_BYTES || total + bytes.length > MAX_SOURCES_TOTAL) continue;
    sources[file] = Buffer.from(bytes).toString('utf8');
    total += bytes.length;
  }
  mkdirSync(dir, { recursive: true });
  const { diff, ...rest } = a;
  const json = { version: ARTIFACT_VERSION, ...rest, sources };
  writeFileSync(join(dir, ARTIFACT_FILE), JSON.stringify(json, null, 1) + '\n');
  writeFileSync(join(dir, ARTIFACT_DIFF), diff);
  return [ARTIFACT_FILE, ARTIFACT_DIFF];
}

const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
const RULE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}$/;

function relPath(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '' || v.length > 1000 || v.startsWith('/') || /^[A-Za-z]:/.test(v) || v.includes('\\') || v.includes('\0') || v.split('/').some((s) => s === '..' || s === '')) {
    throw new ArtifactError(`${where}: not a relative path: ${JSON.stringify(v)?.slice(0, 200)}`);
  }
  return v;
}

function posInt(v: unknown, where: string, zeroOk = false): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < (zeroOk ? 0 : 1)) throw new ArtifactError(`${where}: expected a ${zeroOk ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(v)}`);
  return v;
}

function text(v: unknown, where: string, max = 10_000): string {
  if (typeof v !== 'string' || v.length > max) throw new ArtifactError(`${where}: expected a string of at most ${max} characters`);
  return v;
}

function span<T extends object>(o: Record<string, unknown>, where: string, extra: T): T & RelatedLocation {
  const line = posInt(o.line, `${where}.line`);
  const column = posInt(o.column, `${where}.column`);
  const endLine = o.endLine === undefined ? line : posInt(o.endLine, `${where}.endLine`);
  const endColumn = o.endColumn === undefined ? column : posInt(o.endColumn, `${where}.endColumn`);
  const s = { ...extra, file: relPath(o.file, `${where}.file`), line, column, endLine, endColumn, message: '' } as T & RelatedLocation;
  if (o.column16 !== undefined) s.column16 = posInt(o.column16, `${where}.column16`);
  if (o.endColumn16 !== undefined) s.endColumn16 = posInt(o.endColumn16, `${where}.endColumn16`);
  return s;
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ArtifactError(`${where}: expected an object`);
  return v as Record<string, unknown>;
}

function finding(v: unknown, where: string): Finding {
  const o = obj(v, where);
  const rule = text(o.rule, `${where}.rule`, 100);
  if (!RULE.test(rule)) throw new ArtifactError(`${where}.rule: invalid rule id ${JSON.stringify(rule)}`);
  if (typeof o.severity !== 'string' || !isSeverity(o.severity)) throw new ArtifactError(`${where}.severity: invalid severity`);
  const confidence = o.confidence === undefined ? 'high' : o.confidence;
  if (confidence !== 'high' && confidence !== 'medium' && confidence !== 'low') throw new ArtifactError(`${where}.confidence: invalid confidence`);
  const s = span(o, where, {});
  const related = o.related === undefined ? [] : o.related;
  if (!Array.isArray(related) || related.length > 100) throw new ArtifactError(`${where}.related: expected a list of at most 100 locations`);
  const f: Finding = {
    ...s,
    rule,
    severity: o.severity,
    confidence,
    message: text(o.message, `${where}.message`),
    related: related.map((r, i) => {
      const ro = obj(r, `${where}.related[${i}]`);
      return { ...span(ro, `${where}.related[${i}]`, {}), message: text(ro.message, `${where}.related[${i}].message`) };
    }),
  };
  if (o.fingerprint !== undefined) f.fingerprint = text(o.fingerprint, `${where}.fingerprint`, 200);
  if (o.fixes !== undefined) {
    if (!Array.isArray(o.fixes) || o.fixes.length > 10) throw new ArtifactError(`${where}.fixes: expected a list of at most 10 fixes`);
    f.fixes = o.fixes.map((x, i): SuggestedFix => {
      const fo = obj(x, `${where}.fixes[${i}]`);
      if (!Array.isArray(fo.edits) || fo.edits.length > 100) throw new ArtifactError(`${where}.fixes[${i}].edits: expected a list of at most 100 edits`);
      return {
        message: text(fo.message, `${where}.fixes[${i}].message`),
        edits: fo.edits.map((e, j) => {
          const eo = obj(e, `${where}.fixes[${i}].edits[${j}]`);
          const at = `${where}.fixes[${i}].edits[${j}]`;
          const offset = posInt(eo.offset, `${at}.offset`, true);
          const endOffset = posInt(eo.endOffset, `${at}.endOffset`, true);
          if (endOffset < offset) throw new ArtifactError(`${at}: endOffset before offset`);
          return { file: relPath(eo.file, `${at}.file`), offset, endOffset, newText: text(eo.newText, `${at}.newText`, 100_000) };
        }),
      };
    });
  }
  return f;
}

function readCapped(path: string, max: number): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new ArtifactError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > max) throw new ArtifactError(`${path} is ${size} bytes, more than the ${max} allowed`);
  return readFileSync(path, 'utf8');
}

/** Reads and validates an artifact directory written by writeArtifact. */
export function readArtifact(dir: string): CiArtifact {
  const file = join(dir, ARTIFACT_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readCapped(file, MAX_JSON_BYTES));
  } catch (err) {
    if (err instanceof ArtifactError) throw err;
    throw new ArtifactError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const o = obj(raw, ARTIFACT_FILE);
  if (o.version !== ARTIFACT_VERSION) throw new ArtifactError(`${ARTIFACT_FILE}: unsupported version ${JSON.stringify(o.version)} (this deferguard reads version ${ARTIFACT_VERSION})`);
  const repository = text(o.repository, `${ARTIFACT_FILE}.repository`, 200);
  try {
    parseRepo(repository);
  } catch {
    throw new ArtifactError(`${ARTIFACT_FILE}.repository: not owner/name`);
  }
  const headSha = text(o.headSha, `${ARTIFACT_FILE}.headSha`, 64);
  const baseSha = text(o.baseSha, `${ARTIFACT_FILE}.baseSha`, 64);
  if (!SHA.test(headSha) || !SHA.test(baseSha)) throw new ArtifactError(`${ARTIFACT_FILE}: headSha and baseSha must be full commit hashes`);
  if (!Array.isArray(o.findings) || o.findings.length > MAX_FINDINGS) throw new ArtifactError(`${ARTIFACT_FILE}.findings: expected a list of at most ${MAX_FINDINGS} findings`);
  const sources: Record<string, string> = {};
  if (o.sources !== undefined) {
    let total = 0;
    for (const [k, v] of Object.entries(obj(o.sources, `${ARTIFACT_FILE}.sources`))) {
      const t = text(v, `${ARTIFACT_FILE}.sources[${JSON.stringify(k)}]`, MAX_SOURCE_BYTES);
      total += t.length;
      if (total > MAX_SOURCES_TOTAL) throw new ArtifactError(`${ARTIFACT_FILE}.sources: more than ${MAX_SOURCES_TOTAL} bytes`);
      sources[relPath(k, `${ARTIFACT_FILE}.sources key`)] = t;
    }
  }
  const a: CiArtifact = {
    version: ARTIFACT_VERSION,
    repository,
    pullRequest: posInt(o.pullRequest, `${ARTIFACT_FILE}.pullRequest`),
    headSha,
    baseSha,
    findings: o.findings.map((f, i) => finding(f, `${ARTIFACT_FILE}.findings[${i}]`)),
    diff: readCapped(join(dir, ARTIFACT_DIFF), MAX_DIFF_BYTES),
    sources,
  };
  if (o.baselined !== undefined) a.baselined = posInt(o.baselined, `${ARTIFACT_FILE}.baselined`, true);
  if (o.fixed !== undefined) a.fixed = posInt(o.fixed, `${ARTIFACT_FILE}.fixed`, true);
  return a;
}

/**
 * Checks that an artifact belongs to the workflow run being followed and to an open pull
 * request of this repository whose head is the analysed commit. The artifact was produced by
 * code from the pull request: nothing in it is trusted without these checks.
 */
export async function verifyArtifact(a: CiArtifact, run: WorkflowRunRef, repository: string, client: GitHubClient): Promise<void> {
  if (a.repository.toLowerCase() !== repository.toLowerCase()) {
    throw new ArtifactError(`the artifact is for ${a.repository}, not ${repository}`);
  }
  if (a.headSha !== run.headSha) {
    throw new ArtifactError(`the artifact was made for commit ${a.headSha.slice(0, 12)}, but the workflow run is for ${run.headSha.slice(0, 12)}`);
  }
  if (run.pullRequests.length > 0 && !run.pullRequests.includes(a.pullRequest)) {
    throw new ArtifactError(`pull request #${a.pullRequest} is not among the workflow run's pull requests (${run.pullRequests.map((n) => `#${n}`).join(', ')})`);
  }
  const pr = await client.getPull(repository, a.pullRequest);
  if (pr.head.sha !== a.headSha) {
    throw new ArtifactError(`pull request #${a.pullRequest} is now at ${pr.head.sha.slice(0, 12)}, not the analysed ${a.headSha.slice(0, 12)}; a newer run will post its results`);
  }
  if (pr.base.repo.full_name.toLowerCase() !== repository.toLowerCase()) {
    throw new ArtifactError(`pull request #${a.pullRequest} targets ${pr.base.repo.full_name}, not ${repository}`);
  }
}
