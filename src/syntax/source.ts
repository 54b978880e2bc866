// A source file: its bytes and a line table to turn byte offsets into positions
// (go/token.File, without the file set: every position in deferguard is file-relative).

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column in bytes (go/token's convention, what `go vet` prints). */
  column: number;
  /** 1-based column in UTF-16 code units (LSP, SARIF, GitHub). */
  column16: number;
  /** 0-based byte offset. */
  offset: number;
}

export class SourceFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  private starts: Int32Array | undefined;

  constructor(name: string, bytes: Uint8Array, lineStarts?: Int32Array) {
    this.name = name;
    this.bytes = bytes;
    this.starts = lineStarts;
  }

  /** Byte offset at which each line starts; lineStarts[0] === 0 (built on first use: most files never need a position). */
  get lineStarts(): Int32Array {
    return (this.starts ??= computeLineStarts(this.bytes));
  }

  get size(): number {
    return this.bytes.length;
  }

  /** 0-based index of the line containing offset. */
  lineIndex(offset: number): number {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): Position {
    if (offset < 0) return { line: 0, column: 0, column16: 0, offset };
    if (offset > this.bytes.length) offset = this.bytes.length;
    const li = this.lineIndex(offset);
    const start = this.lineStarts[li]!;
    return { line: li + 1, column: offset - start + 1, column16: utf16Length(this.bytes, start, offset) + 1, offset };
  }

  /** Byte offset of a 1-based line and byte column. */
  offsetOf(line: number, column: number): number {
    const start = this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
    return Math.min(this.bytes.length, start + Math.max(0, column - 1));
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    if (line < 1 || line > this.lineStarts.length) return '';
    const start = this.lineStarts[line - 1]!;
    let end = line < this.lineStarts.length ? this.lineStarts[line]! - 1 : this.bytes.length;
    if (end > start && this.bytes[end - 1] === 13) end--;
    return decodeUtf8(this.bytes, start, end);
  }

  text(start: number, end: number): string {
    return decodeUtf8(this.bytes, start, end);
  }
}

let scratch = new Int32Array(1 << 14);

export function computeLineStarts(bytes: Uint8Array): Int32Array {
  // Filled into a shared scratch table and copied out at its size: no growing array per file.
  let n = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
    if (n === scratch.length) {
      const bigger = new Int32Array(scratch.length * 2);
      bigger.set(scratch);
      scratch = bigger;
    }
    scratch[n++] = i + 1;
  }
  return scratch.slice(0, n);
}

/** Number of UTF-16 code units encoding bytes[start:end] (invalid bytes count as one unit each). */
export function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; ) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; n++; }
    else if (b >= 0xf0 && b < 0xf8) { i += 4; n += 2; }
    else if (b >= 0xe0) { i += 3; n++; }
    else if (b >= 0xc0) { i += 2; n++; }
    else { i++; n++; }
  }
  return n;
}

const decoder = new TextDecoder('utf-8');

/** Decodes bytes[start:end] as UTF-8, with a fast path for ASCII. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) { ascii = false; break; }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
      return s;
    }
  }
  return decoder.decode(bytes.subarray(start, end));
}

const encoder = new TextEncoder();

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Whether the bytes contain the ASCII text `word` anywhere (a cheap search before parsing or a tree walk). */
export function bytesContain(bytes: Uint8Array, word: string): boolean {
  const first = word.charCodeAt(0);
  for (let i = bytes.indexOf(first); i >= 0 && i + word.length <= bytes.length; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < word.length && bytes[i + k] === word.charCodeAt(k)) k++;
    if (k === word.length) return true;
  }
  return false;
}
