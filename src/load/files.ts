// File system access for loading: reading files with a size cap, listing directories, and walking
// trees while detecting symlink loops. Problems are returned as values so one bad file or directory
// never stops the rest from loading.
import { closeSync, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** Default per-file size cap (bytes). */
export const DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;

export type ReadResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return err?.message ?? String(e);
  }
}

/** Scratch space for reading a whole small file at once. */
const scratch = new Uint8Array(256 * 1024);
/** Scratch space for the read past a file's size that finds whether it grew. */
const probe = new Uint8Array(64 * 1024);

/**
 * Reads a whole file, refusing files larger than maxBytes. `display` names the file in errors
 * (a module-relative path). Only `limit` bytes are read when given (a header read).
 */
export function readFileLimited(path: string, display: string, maxBytes = DEFAULT_MAX_FILE_SIZE, limit?: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { ok: false, error: `${display}: cannot read: ${describe(e)}` };
  }
  try {
    // Most source files fit the scratch buffer: one read, no stat, and a short read means the end.
    if (limit === undefined) {
      const want = Math.min(scratch.length, maxBytes + 1);
      const n = readSync(fd, scratch, 0, want, 0);
      if (n < want) return { ok: true, bytes: scratch.slice(0, n) };
    }
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, error: `${display}: cannot read: is a directory` };
    if (st.size > maxBytes) {
      return { ok: false, error: `${display}: file is ${st.size} bytes, over the ${maxBytes}-byte limit; skipped` };
    }
    const want = limit !== undefined ? Math.min(limit, st.size) : st.size;
    const buf = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, got);
      if (n === 0) break;
      got += n;
    }
    // A file that grew while reading: read the rest in chunks, still within the cap.
    if (limit === undefined && got === want) {
      const extra: Uint8Array[] = [];
      let total = got;
      for (;;) {
        // Almost always nothing more: the probe reads into a shared buffer and copies only what it got.
        const n = readSync(fd, probe, 0, probe.length, total);
        if (n === 0) break;
        total += n;
        if (total > maxBytes) return { ok: false, error: `${display}: file is over the ${maxBytes}-byte limit; skipped` };
        extra.push(probe.slice(0, n));
      }
      if (extra.length) {
        const all = new Uint8Array(total);
        all.set(buf, 0);
        let at = got;
        for (const c of extra) {
          all.set(c, at);
          at += c.length;
        }
        return { ok: true, bytes: all };
      }
    }
    return { ok: true, bytes: got === want ? buf : buf.subarray(0, got) };
  } catch (e) {
    return { ok: false, error: `${display}: cannot read: ${describe(e)}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a load problem (as returned by readFileLimited or listDir) means that a file or directory
 * could not be read at all, so that the analysis is incomplete: unreadable, too large, or a
 * directory that cannot be listed.
 */
export function isReadFailure(message: string): boolean {
  return /: cannot read: |: cannot list directory: |-byte limit; skipped$/.test(message);
}

export interface DirEntryInfo {
  name: string;
  isDir: boolean;
  isFile: boolean;
  /** The entry is a symbolic link (isDir/isFile describe its target). */
  isSymlink: boolean;
  /** Set for a broken or unreadable link. */
  error?: string;
}

export type ListResult = { ok: true; entries: DirEntryInfo[] } | { ok: false; error: string };

/** Lists a directory sorted by name (byte order, as Go does), resolving symlinks. */
export function listDir(dir: string, display: string): ListResult {
  let ents: Dirent[];
  try {
    ents = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return { ok: false, error: `${display}: cannot list directory: ${describe(e)}` };
  }
  const out: DirEntryInfo[] = [];
  for (const d of ents) {
    const name = d.name;
    if (d.isSymbolicLink()) {
      try {
        const st = statSync(join(dir, name));
        out.push({ name, isDir: st.isDirectory(), isFile: st.isFile(), isSymlink: true });
      } catch (e) {
        out.push({ name, isDir: false, isFile: false, isSymlink: true, error: describe(e) });
      }
      continue;
    }
    out.push({ name, isDir: d.isDirectory(), isFile: d.isFile(), isSymlink: false });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ok: true, entries: out };
}

/** Real path, or null when it cannot be resolved. */
export function realPath(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
