// Worker thread of scripts/parity-parser.ts: parses one file at a time with deferguard's parser and
// answers with the sha256 of the canonical dump. It runs apart from the main thread so that a
// parse that hangs can be stopped (the worker is terminated) without ending the run.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { dumpFile, dumpSha256 } from '../src/syntax/dump.js';
import * as ours from '../src/syntax/parser.js';

// DEFERGUARD_PARITY_PARSER names a module with the same parseFile to check instead of ours (the
// harness's own tests use it to check how a parser that throws or hangs is reported).
const override = process.env.DEFERGUARD_PARITY_PARSER;
const parseFile: typeof ours.parseFile = override
  ? ((await import(pathToFileURL(resolve(override)).href)) as typeof ours).parseFile
  : ours.parseFile;

export interface ParityJob {
  path: string;
  /** Also answer with the whole dump (for showing a difference). */
  full?: boolean;
}

export type ParityAnswer =
  | { type: 'ready' }
  | {
      type: 'result';
      path: string;
      /** ok: no syntax error; err: syntax errors; threw: the parser or the dump threw. */
      status: 'ok' | 'err' | 'threw';
      hash: string;
      /** The whole dump, when the job asked for it. */
      dump?: string;
      /** First syntax error (line:col: message) and how many more, or what was thrown. */
      error: string;
      bytes: number;
      /** Parse time alone, in milliseconds. */
      parseMs: number;
    };

function message(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? ` (${e.stack.split('\n')[1]?.trim() ?? ''})` : ''}`;
  return String(e);
}

const port = parentPort;
if (port) {
  port.on('message', ({ path, full }: ParityJob) => {
    let answer: ParityAnswer;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      port.postMessage({ type: 'result', path, status: 'threw', hash: '-', error: `cannot read: ${message(e)}`, bytes: 0, parseMs: 0 } satisfies ParityAnswer);
      return;
    }
    const t0 = performance.now();
    try {
      const r = parseFile(path, bytes);
      const parseMs = performance.now() - t0;
      const dump = full ? dumpFile(r.file) : undefined;
      const hash = dump === undefined ? dumpSha256(r.file) : '-';
      const e = r.errors[0];
      answer = {
        type: 'result',
        path,
        status: r.errors.length > 0 ? 'err' : 'ok',
        hash,
        ...(dump === undefined ? {} : { dump }),
        error: e ? `${e.line}:${e.column}: ${e.message}${r.errors.length > 1 ? ` (and ${r.errors.length - 1} more)` : ''}` : '',
        bytes: bytes.length,
        parseMs,
      };
    } catch (e) {
      answer = { type: 'result', path, status: 'threw', hash: '-', error: message(e), bytes: bytes.length, parseMs: performance.now() - t0 };
    }
    port.postMessage(answer);
  });
  port.postMessage({ type: 'ready' } satisfies ParityAnswer);
}
