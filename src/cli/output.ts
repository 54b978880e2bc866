// Writing output files: atomically (a temp file in the same directory, then a rename), so an
// interrupted or failed write never leaves a partial report, baseline or fixed source file.
import { accessSync, constants, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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
    if (statSync(abs).isDirectory()) throw new OutputError(`cannot write ${what} to ${file}: it is a directory`);
  } catch (e) {
    if (e instanceof OutputError) throw e;
  }
  const dir = dirname(abs);
  try {
    if (!statSync(dir).isDirectory()) throw new OutputError(`cannot write ${what} to ${file}: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`cannot write ${what} to ${file}: ${reason(e)}`);
  }
}

/** Writes `data` to `file` through a temp file and a rename; throws OutputError and leaves no temp file. */
export function writeFileAtomic(file: string, data: string | Buffer, what = 'output', shown = file): void {
  const abs = resolve(file);
  file = shown;
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
