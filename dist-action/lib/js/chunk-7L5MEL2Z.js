import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);

// src/cli/output.ts
import { accessSync, constants, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
var OutputError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "OutputError";
  }
};
function reason(e) {
  const code = e.code;
  switch (code) {
    case "ENOENT":
      return "the directory does not exist";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return e.message;
  }
}
function checkWritable(file, what, shown = file) {
  const abs = resolve(file);
  file = shown;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) throw new OutputError(`cannot write ${what} to ${file}: it is a directory`);
    if (!st.isFile()) {
      accessSync(abs, constants.W_OK);
      return;
    }
  } catch (e) {
    if (e instanceof OutputError) throw e;
    if (e.code !== "ENOENT") throw new OutputError(`cannot write ${what} to ${file}: ${reason(e)}`);
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
function realTarget(abs) {
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}
function writeFileAtomic(file, data, what = "output", shown = file) {
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
  let mode;
  try {
    mode = statSync(abs).mode & 4095;
  } catch {
    mode = void 0;
  }
  try {
    writeFileSync(tmp, data, mode !== void 0 ? { mode } : {});
    renameSync(tmp, abs);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
    }
    throw new OutputError(`cannot write ${what} to ${file}: ${reason(e)}`);
  }
}

export {
  OutputError,
  checkWritable,
  writeFileAtomic
};
