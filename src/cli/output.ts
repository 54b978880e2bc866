// Writing output files: atomically (a temp file in the same directory, then a rename), so an
// interrupted or failed write never leaves a partial report, baseline or fixed source file.
import { accessSync, constants, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'the directory does not exist';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    default: return (e as Error).message;
  }
}

/** Checks before a long run that `file` can be created or replaced; throws OutputError. */
export function checkWritable(file: string, what: string, shown = file): void {
  const abs = resolve(file);
  file = shown;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) throw new OutputError(`cannot write ${what} to ${file}: it is a directory`);
    if (!st.isFile()) {
      // A device or pipe (/dev/stdout, a FIFO) is written in place: it must be writable itself.
      accessSync(abs, constants.W_OK);
      return;
    }
  } catch (e) {
    if (e instanceof OutputError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputError(`cannot write ${what} to ${file}: ${reason(e)}`);
  }
  const dir = dirname(realTarget(abs));
  try {
    if (!statSync(dir).isDirectory()) throw new OutputError(`cannot write ${what} to ${file}: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`cannot write ${what} to ${file}: ${reason(e)}`);
  }
}

/** The file a path names: a symbolic link's target (so that the link is kept), else the path itself. */
function realTarget(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/**
 * Writes `data` to `file` through a temp file and a rename; throws OutputError and leaves no temp file.
 * A symbolic link is followed (its target is replaced, the link stays); a device or pipe such as
 * /dev/stdout is written in place, since renaming over it would replace the device node itself.
 */
export function writeFileAtomic(file: string, data: string | Buffer, what = 'output', shown = file): void {
  const abs = realTarget(resolve(file));
  file = shown;
  let special = false;
  try {
    const st = statSync(abs);
    special = !st.isFile() && !st.isDirectory();
  } catch {
    special = false;
  }
  if (special) {
    try {
      writeFileSync(abs, data);
    } catch (e) {
      throw new OutputError(`cannot write ${what} to ${file}: ${reason(e)}`);
    }
    return;
  }
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(abs).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(tmp, data, mode !== undefined ? { mode } : {});
    renameSync(tmp, abs);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file was never created
    }
    throw new OutputError(`cannot write ${what} to ${file}: ${reason(e)}`);
  }
}
