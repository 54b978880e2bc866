// Which lines of the head version a pull request's diff shows: review comments can only be
// placed on those (RIGHT side), and a multi-line comment must stay inside one hunk.

export interface DiffFile {
  /** Path in the head version (b/...). */
  path: string;
  /** Lines the change added. */
  added: Set<number>;
  /** For every head line shown in the diff (added or context), the index of its hunk. */
  hunkOf: Map<number, number>;
}

export type ChangedLines = Map<string, DiffFile>;

function unquote(p: string): string {
  if (p.startsWith('"') && p.endsWith('"')) {
    // git quotes unusual names C-style, with octal escapes of UTF-8 bytes.
    const bytes: number[] = [];
    const s = p.slice(1, -1);
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c !== '\\') {
        bytes.push(...Buffer.from(c, 'utf8'));
        continue;
      }
      const n = s[++i]!;
      if (/[0-7]/.test(n)) {
        bytes.push(parseInt(s.slice(i, i + 3), 8));
        i += 2;
      } else bytes.push(({ n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 } as Record<string, number>)[n] ?? n.charCodeAt(0));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return p;
}

function stripPrefix(p: string): string | undefined {
  const u = unquote(p.split('\t')[0]!.trimEnd());
  if (u === '/dev/null') return undefined;
  return u.replace(/^[ab]\//, '');
}

/**
 * The head lines each file of a unified diff shows, by hunk. (findings/diff gives the added
 * lines for scoping; review comments also need context lines and hunk boundaries.)
 */
export function parseDiffHunks(diff: string): ChangedLines {
  const files: ChangedLines = new Map();
  let current: DiffFile | undefined;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  let hunk = -1;
  const lines = diff.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === '+' && newLeft > 0) {
        current?.added.add(newLine);
        current?.hunkOf.set(newLine, hunk);
        newLine++;
        newLeft--;
        continue;
      }
      if (c === '-' && oldLeft > 0) {
        oldLeft--;
        continue;
      }
      if ((c === ' ' || line === '') && newLeft > 0 && oldLeft > 0) {
        current?.hunkOf.set(newLine, hunk);
        newLine++;
        newLeft--;
        oldLeft--;
        continue;
      }
      if (c === '\\') continue; // "\ No newline at end of file"
      oldLeft = newLeft = 0; // malformed hunk: resynchronise on the next header
    }
    if (line.startsWith('+++ ')) {
      const p = stripPrefix(line.slice(4));
      if (p === undefined) {
        current = undefined;
      } else {
        current = files.get(p) ?? { path: p, added: new Set(), hunkOf: new Map() };
        files.set(p, current);
      }
      continue;
    }
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h) {
      oldLeft = h[2] === undefined ? 1 : Number(h[2]);
      newLine = Number(h[3]);
      newLeft = h[4] === undefined ? 1 : Number(h[4]);
      hunk++;
    }
  }
  return files;
}

/** True when every line of [start, end] is shown in the same hunk of the file's diff. */
export function inOneHunk(file: DiffFile | undefined, start: number, end: number): boolean {
  if (!file) return false;
  const h = file.hunkOf.get(start);
  if (h === undefined) return false;
  for (let l = start + 1; l <= end; l++) if (file.hunkOf.get(l) !== h) return false;
  return true;
}
