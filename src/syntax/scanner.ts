// The Go scanner: bytes in, tokens out, with Go's automatic semicolon insertion, all literal
// forms, comments, line directives and UTF-8 validation. Semantics follow go/scanner exactly.
import * as T from './token.js';

const EOF_CH = -1;
const BOM = 0xfeff;

export interface ScanError {
  offset: number;
  message: string;
}

/** A //line or /*line directive: from byte offset `offset` on, positions are reported as filename:line:col. */
export interface LineDirective {
  offset: number;
  filename: string;
  line: number;
  /** 0 when the directive gives no column. */
  column: number;
}

const letterRe = /^\p{L}$/u;
const digitRe = /^\p{Nd}$/u;

function isLetter(ch: number): boolean {
  if (ch < 0x80) return (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || ch === 0x5f;
  return letterRe.test(String.fromCodePoint(ch));
}

function isDigit(ch: number): boolean {
  if (ch < 0x80) return ch >= 0x30 && ch <= 0x39;
  return digitRe.test(String.fromCodePoint(ch));
}

function isDecimal(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}

function lower(ch: number): number {
  return 0x20 | ch;
}

function isHex(ch: number): boolean {
  return (ch >= 0x30 && ch <= 0x39) || (lower(ch) >= 0x61 && lower(ch) <= 0x66);
}

function digitVal(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  const l = lower(ch);
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return 16;
}

/** ASCII table of identifier bytes (letters, digits, underscore). */
const identByte = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (c >= 0x30 && c <= 0x39)) identByte[c] = 1;
}

const textDecoder = new TextDecoder('utf-8');

type Slicer = (this: Uint8Array, start: number, end: number) => string;
// Node's native UTF-8/latin1 slicing is several times faster than TextDecoder for short strings;
// elsewhere (browsers) TextDecoder is used.
const nodeBuffer = (globalThis as { Buffer?: { prototype: { utf8Slice?: Slicer; latin1Slice?: Slicer } } }).Buffer;
const utf8Slice: Slicer | undefined = nodeBuffer?.prototype.utf8Slice;
const latin1Slice: Slicer | undefined = nodeBuffer?.prototype.latin1Slice;

function sliceText(src: Uint8Array, start: number, end: number): string {
  if (utf8Slice) return utf8Slice.call(src, start, end);
  if (end - start <= 16) {
    let s = '';
    for (let i = start; i < end; i++) {
      const b = src[i]!;
      if (b >= 0x80) return textDecoder.decode(src.subarray(start, end));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return textDecoder.decode(src.subarray(start, end));
}

/**
 * Identifier strings by their bytes: an open-addressing table shared by all files, so a name seen
 * before costs a hash and a byte comparison instead of building a new string.
 */
const IDENT_TABLE_BITS = 16;
const IDENT_TABLE_SIZE = 1 << IDENT_TABLE_BITS;
const identStrings: (string | undefined)[] = new Array(IDENT_TABLE_SIZE);
const identBytes: (Uint8Array | undefined)[] = new Array(IDENT_TABLE_SIZE);

function identString(src: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len > 32) return sliceText(src, start, end);
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ src[i]!, 0x01000193);
  let slot = (h >>> (32 - IDENT_TABLE_BITS)) & (IDENT_TABLE_SIZE - 1);
  for (let probe = 0; probe < 8; probe++) {
    const b = identBytes[slot];
    if (b === undefined) {
      const str = latin1Slice && isAscii(src, start, end) ? latin1Slice.call(src, start, end) : sliceText(src, start, end);
      identBytes[slot] = src.slice(start, end);
      identStrings[slot] = str;
      return str;
    }
    if (b.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) if (b[i] !== src[start + i]) { same = false; break; }
      if (same) return identStrings[slot]!;
    }
    slot = (slot + 1) & (IDENT_TABLE_SIZE - 1);
  }
  return sliceText(src, start, end);
}

function isAscii(src: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (src[i]! >= 0x80) return false;
  return true;
}

function quoteRune(ch: number): string {
  return JSON.stringify(String.fromCodePoint(ch)).replace(/^"|"$/g, "'");
}

function fmtU(ch: number): string {
  const hex = ch.toString(16).toUpperCase().padStart(4, '0');
  const printable = ch >= 0x20 && ch !== 0x7f && !(ch >= 0x80 && ch < 0xa0);
  return printable ? `U+${hex} '${String.fromCodePoint(ch)}'` : `U+${hex}`;
}

export class Scanner {
  readonly src: Uint8Array;
  readonly errors: ScanError[] = [];
  readonly lineDirectives: LineDirective[] = [];
  private readonly filename: string;

  // current character
  private ch = 0x20;
  private offset = 0;
  private rdOffset = 0;
  private lineOffset = 0;
  private insertSemi = false;
  private nlPos = -1;

  // results of the last scan
  tok = T.ILLEGAL;
  pos = 0;
  lit = '';
  /** End offset of the last STRING token's source text (raw strings may have had \r removed from lit). */
  stringEnd = 0;

  constructor(filename: string, src: Uint8Array) {
    this.filename = filename;
    this.src = src;
    this.next();
    if (this.ch === BOM) this.next();
  }

  private error(offset: number, message: string): void {
    this.errors.push({ offset, message });
  }

  /**
   * Skips the rest of a block whose '{' was the last token scanned, matching braces at the byte
   * level: comments, string and rune literals are stepped over, no tokens are made and nothing
   * inside is checked (no errors, no line directives). Afterwards the next scan() returns the
   * matching '}', or EOF when there is none. For declarations-only parsing, where bodies are not
   * wanted: several times faster than scanning their tokens.
   */
  skipBlock(): void {
    const src = this.src;
    const n = src.length;
    let i = this.ch === EOF_CH ? n : this.offset;
    let depth = 1;
    while (i < n) {
      const c = src[i]!;
      if (c === 0x7d) {
        if (--depth === 0) {
          this.offset = i;
          this.rdOffset = i + 1;
          this.ch = 0x7d;
          this.lineOffset = src.lastIndexOf(10, i) + 1;
          this.insertSemi = false;
          this.nlPos = -1;
          return;
        }
        i++;
      } else if (c === 0x7b) {
        depth++;
        i++;
      } else if (c === 0x2f) {
        const d = src[i + 1];
        if (d === 0x2f) {
          i += 2;
          while (i < n && src[i] !== 10) i++;
        } else if (d === 0x2a) {
          i += 2;
          while (i < n && !(src[i] === 0x2a && src[i + 1] === 0x2f)) i++;
          i += 2;
        } else i++;
      } else if (c === 0x22 || c === 0x27) {
        i++;
        while (i < n && src[i] !== c && src[i] !== 10) i += src[i] === 0x5c && src[i + 1] !== 10 ? 2 : 1;
        i++;
      } else if (c === 0x60) {
        i++;
        while (i < n && src[i] !== 0x60) i++;
        i++;
      } else i++;
    }
    this.offset = n;
    this.rdOffset = n;
    this.ch = EOF_CH;
    this.insertSemi = false;
    this.nlPos = -1;
  }

  /** Reads the next Unicode character into ch. */
  private next(): void {
    const src = this.src;
    if (this.rdOffset < src.length) {
      this.offset = this.rdOffset;
      if (this.ch === 10) this.lineOffset = this.offset;
      const b = src[this.rdOffset]!;
      if (b < 0x80) {
        if (b === 0) this.error(this.offset, 'illegal character NUL');
        this.rdOffset++;
        this.ch = b;
        return;
      }
      const [r, w] = this.decodeRune(this.rdOffset);
      if (r === 0xfffd && w === 1) {
        if (this.offset === 0 && src.length >= 2 && ((src[0] === 0xff && src[1] === 0xfe) || (src[0] === 0xfe && src[1] === 0xff))) {
          this.error(this.offset, 'illegal UTF-8 encoding (got UTF-16)');
          this.rdOffset = src.length;
          this.ch = r;
          return;
        }
        this.error(this.offset, 'illegal UTF-8 encoding');
      } else if (r === BOM && this.offset > 0) {
        this.error(this.offset, 'illegal byte order mark');
      }
      this.rdOffset += w;
      this.ch = r;
    } else {
      this.offset = src.length;
      if (this.ch === 10) this.lineOffset = this.offset;
      this.ch = EOF_CH;
    }
  }

  /** utf8.DecodeRune: [rune, width]; invalid input gives [0xFFFD, 1]. */
  private decodeRune(i: number): [number, number] {
    const src = this.src;
    const n = src.length;
    const b0 = src[i]!;
    if (b0 < 0x80) return [b0, 1];
    const cont = (j: number, lo = 0x80, hi = 0xbf): number => {
      if (j >= n) return -1;
      const b = src[j]!;
      return b >= lo && b <= hi ? b & 0x3f : -1;
    };
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      const c1 = cont(i + 1);
      return c1 < 0 ? [0xfffd, 1] : [((b0 & 0x1f) << 6) | c1, 2];
    }
    if (b0 >= 0xe0 && b0 <= 0xef) {
      const lo = b0 === 0xe0 ? 0xa0 : 0x80;
      const hi = b0 === 0xed ? 0x9f : 0xbf;
      const c1 = cont(i + 1, lo, hi);
      if (c1 < 0) return [0xfffd, 1];
      const c2 = cont(i + 2);
      if (c2 < 0) return [0xfffd, 1];
      return [((b0 & 0x0f) << 12) | (c1 << 6) | c2, 3];
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
      const lo = b0 === 0xf0 ? 0x90 : 0x80;
      const hi = b0 === 0xf4 ? 0x8f : 0xbf;
      const c1 = cont(i + 1, lo, hi);
      if (c1 < 0) return [0xfffd, 1];
      const c2 = cont(i + 2);
      if (c2 < 0) return [0xfffd, 1];
      const c3 = cont(i + 3);
      if (c3 < 0) return [0xfffd, 1];
      return [((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
    }
    return [0xfffd, 1];
  }

  /**
   * Fast path over printable ASCII and tabs: when the current character is one, advance to the
   * last such byte of the run (the next call of next() then reads the first other byte).
   */
  private skipPlainBytes(): void {
    const ch = this.ch;
    if (!((ch >= 0x20 && ch < 0x7f) || ch === 9)) return;
    const src = this.src;
    const n = src.length;
    let i = this.rdOffset;
    while (i < n) {
      const b = src[i]!;
      if ((b >= 0x20 && b < 0x7f) || b === 9) i++;
      else break;
    }
    if (i > this.rdOffset) {
      this.offset = i - 1;
      this.rdOffset = i;
      this.ch = src[i - 1]!;
    }
  }

  private peek(): number {
    return this.rdOffset < this.src.length ? this.src[this.rdOffset]! : 0;
  }

  private text(start: number, end: number): string {
    return sliceText(this.src, start, end);
  }

  private scanComment(): [string, number] {
    const offs = this.offset - 1; // position of initial '/'
    let next = -1;
    let numCR = 0;
    let nlOffset = 0;

    const lineComment = this.ch === 0x2f;
    if (lineComment) {
      // //-style comment; the final '\n' belongs to the next token
      this.next();
      this.skipPlainBytes();
      while (this.ch !== 10 && this.ch >= 0) {
        if (this.ch === 13) numCR++;
        this.next();
        this.skipPlainBytes();
      }
      next = this.offset;
      if (this.ch === 10) next++;
    } else {
      /*-style comment */
      this.next();
      let terminated = false;
      while (this.ch >= 0) {
        const ch = this.ch;
        if (ch === 13) numCR++;
        else if (ch === 10 && nlOffset === 0) nlOffset = this.offset;
        this.next();
        if (ch === 0x2a && this.ch === 0x2f) {
          this.next();
          next = this.offset;
          terminated = true;
          break;
        }
      }
      if (!terminated) this.error(offs, 'comment not terminated');
    }

    let end = this.offset;
    const src = this.src;
    // On Windows, a //-style comment may end in "\r\n": strip the \r.
    if (numCR > 0 && end - offs >= 2 && src[offs + 1] === 0x2f && src[end - 1] === 13) {
      end--;
      numCR--;
    }
    if (next >= 0 && (src[offs + 1] === 0x2a || offs === this.lineOffset) && this.hasPrefix(offs + 2, end, 'line ')) {
      this.updateLineInfo(next, offs, end);
    }
    let lit = this.text(offs, end);
    if (numCR > 0) lit = stripCR(lit, src[offs + 1] === 0x2a);
    return [lit, nlOffset];
  }

  private hasPrefix(start: number, end: number, prefix: string): boolean {
    if (end - start < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.src[start + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }

  private updateLineInfo(next: number, offs: number, end: number): void {
    let text = this.text(offs, end);
    if (text[1] === '*') text = text.slice(0, -2);
    text = text.slice(7);
    offs += 7;
    let [i, n, ok] = trailingDigits(text);
    if (i === 0) return; // not a line directive
    if (!ok) {
      this.error(offs + i, 'invalid line number: ' + text.slice(i));
      return;
    }
    const maxLineCol = 1 << 30;
    let line: number;
    let col = 0;
    const [i2, n2, ok2] = trailingDigits(text.slice(0, i - 1));
    if (ok2) {
      const ii = i;
      i = i2;
      const iCol = ii;
      line = n2;
      col = n;
      if (col === 0 || col > maxLineCol) {
        this.error(offs + iCol, 'invalid column number: ' + text.slice(iCol));
        return;
      }
      text = text.slice(0, iCol - 1);
    } else {
      line = n;
    }
    if (line === 0 || line > maxLineCol) {
      this.error(offs + i, 'invalid line number: ' + text.slice(i));
      return;
    }
    let filename = text.slice(0, i - 1);
    if (filename === '' && ok2) {
      filename = this.currentFilename(offs);
    }
    this.lineDirectives.push({ offset: next, filename, line, column: col });
  }

  private currentFilename(offs: number): string {
    let name = this.filename;
    for (const d of this.lineDirectives) if (d.offset <= offs) name = d.filename;
    return name;
  }

  private scanIdentifier(): string {
    const src = this.src;
    const offs = this.offset;
    let i = this.rdOffset;
    const n = src.length;
    while (i < n && identByte[src[i]!] === 1) i++;
    if (i >= n) {
      this.offset = n;
      this.rdOffset = n;
      this.ch = EOF_CH;
    } else if (src[i]! < 0x80 && src[i] !== 0) {
      this.ch = src[i]!;
      this.offset = i;
      this.rdOffset = i + 1;
    } else {
      this.rdOffset = i;
      this.next();
      while (isLetter(this.ch) || isDigit(this.ch)) this.next();
    }
    return identString(this.src, offs, this.offset);
  }

  private digits(base: number, invalid: { at: number } | null): number {
    let digsep = 0;
    if (base <= 10) {
      const max = 0x30 + base;
      while (isDecimal(this.ch) || this.ch === 0x5f) {
        let ds = 1;
        if (this.ch === 0x5f) ds = 2;
        else if (this.ch >= max && invalid && invalid.at < 0) invalid.at = this.offset;
        digsep |= ds;
        this.next();
      }
    } else {
      while (isHex(this.ch) || this.ch === 0x5f) {
        digsep |= this.ch === 0x5f ? 2 : 1;
        this.next();
      }
    }
    return digsep;
  }

  private scanNumber(): number {
    const offs = this.offset;
    let tok = T.ILLEGAL;
    let base = 10;
    let prefix = 0; // 0 (decimal), '0' (0-octal), 'x', 'o', 'b'
    let digsep = 0;
    const invalid = { at: -1 };

    if (this.ch !== 0x2e) {
      tok = T.INT;
      if (this.ch === 0x30) {
        this.next();
        switch (lower(this.ch)) {
          case 0x78: this.next(); base = 16; prefix = 0x78; break;
          case 0x6f: this.next(); base = 8; prefix = 0x6f; break;
          case 0x62: this.next(); base = 2; prefix = 0x62; break;
          default: base = 8; prefix = 0x30; digsep = 1;
        }
      }
      digsep |= this.digits(base, invalid);
    }
    if (this.ch === 0x2e) {
      tok = T.FLOAT;
      if (prefix === 0x6f || prefix === 0x62) this.error(this.offset, 'invalid radix point in ' + litname(prefix));
      this.next();
      digsep |= this.digits(base, invalid);
    }
    if ((digsep & 1) === 0) this.error(this.offset, litname(prefix) + ' has no digits');

    const e = lower(this.ch);
    if (e === 0x65 || e === 0x70) {
      if (e === 0x65 && prefix !== 0 && prefix !== 0x30) {
        this.error(this.offset, `${quoteRune(this.ch)} exponent requires decimal mantissa`);
      } else if (e === 0x70 && prefix !== 0x78) {
        this.error(this.offset, `${quoteRune(this.ch)} exponent requires hexadecimal mantissa`);
      }
      this.next();
      tok = T.FLOAT;
      if (this.ch === 0x2b || this.ch === 0x2d) this.next();
      const ds = this.digits(10, null);
      digsep |= ds;
      if ((ds & 1) === 0) this.error(this.offset, 'exponent has no digits');
    } else if (prefix === 0x78 && tok === T.FLOAT) {
      this.error(this.offset, "hexadecimal mantissa requires a 'p' exponent");
    }
    if (this.ch === 0x69) {
      tok = T.IMAG;
      this.next();
    }
    const lit = this.text(offs, this.offset);
    if (tok === T.INT && invalid.at >= 0) {
      this.error(invalid.at, `invalid digit ${quoteRune(lit.charCodeAt(invalid.at - offs))} in ${litname(prefix)}`);
    }
    if (digsep & 2) {
      const i = invalidSep(lit);
      if (i >= 0) this.error(offs + i, "'_' must separate successive digits");
    }
    this.lit = lit;
    return tok;
  }

  private scanEscape(quote: number): boolean {
    const offs = this.offset;
    let n: number;
    let base: number;
    let max: number;
    switch (this.ch) {
      case 0x61: case 0x62: case 0x66: case 0x6e: case 0x72: case 0x74: case 0x76: case 0x5c: case quote:
        this.next();
        return true;
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37:
        n = 3; base = 8; max = 255;
        break;
      case 0x78:
        this.next(); n = 2; base = 16; max = 255;
        break;
      case 0x75:
        this.next(); n = 4; base = 16; max = 0x10ffff;
        break;
      case 0x55:
        this.next(); n = 8; base = 16; max = 0x10ffff;
        break;
      default:
        this.error(offs, this.ch < 0 ? 'escape sequence not terminated' : 'unknown escape sequence');
        return false;
    }
    let x = 0;
    while (n > 0) {
      const d = this.ch < 0 ? 16 : digitVal(this.ch);
      if (d >= base) {
        this.error(this.offset, this.ch < 0 ? 'escape sequence not terminated' : `illegal character ${fmtU(this.ch)} in escape sequence`);
        return false;
      }
      x = x * base + d;
      this.next();
      n--;
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      this.error(offs, 'escape sequence is invalid Unicode code point');
      return false;
    }
    return true;
  }

  private scanRune(): string {
    const offs = this.offset - 1;
    let valid = true;
    let n = 0;
    for (;;) {
      const ch = this.ch;
      if (ch === 10 || ch < 0) {
        if (valid) {
          this.error(offs, 'rune literal not terminated');
          valid = false;
        }
        break;
      }
      this.next();
      if (ch === 0x27) break;
      n++;
      if (ch === 0x5c) {
        if (!this.scanEscape(0x27)) valid = false;
      }
    }
    if (valid && n !== 1) this.error(offs, 'illegal rune literal');
    return this.text(offs, this.offset);
  }

  private scanString(): string {
    const offs = this.offset - 1;
    const src = this.src;
    // fast path: plain ASCII without escapes
    let i = this.rdOffset - 1;
    for (;;) {
      const ch = this.ch;
      if (ch === 10 || ch < 0) {
        this.error(offs, 'string literal not terminated');
        break;
      }
      if (ch === 0x22) {
        this.next();
        break;
      }
      if (ch === 0x5c) {
        this.next();
        this.scanEscape(0x22);
        continue;
      }
      // skip a run of ordinary ASCII bytes quickly
      i = this.rdOffset;
      while (i < src.length) {
        const b = src[i]!;
        if (b === 0x22 || b === 0x5c || b === 10 || b === 0 || b >= 0x80) break;
        i++;
      }
      if (i > this.rdOffset) {
        this.offset = i - 1;
        this.rdOffset = i;
        this.ch = src[i - 1]!;
      }
      this.next();
    }
    return this.text(offs, this.offset);
  }

  private scanRawString(): [string, number] {
    const offs = this.offset - 1;
    let hasCR = false;
    for (;;) {
      const ch = this.ch;
      if (ch < 0) {
        this.error(offs, 'raw string literal not terminated');
        break;
      }
      this.next();
      if (ch === 0x60) break;
      if (ch === 13) hasCR = true;
    }
    let lit = this.text(offs, this.offset);
    const rawLen = this.offset - offs;
    if (hasCR) lit = stripCR(lit, false);
    return [lit, rawLen];
  }

  private skipWhitespace(): void {
    for (;;) {
      const ch = this.ch;
      if (ch === 0x20 || ch === 9 || (ch === 10 && !this.insertSemi) || ch === 13) this.next();
      else return;
    }
  }

  private switch2(tok0: number, tok1: number): number {
    if (this.ch === 0x3d) {
      this.next();
      return tok1;
    }
    return tok0;
  }

  private switch3(tok0: number, tok1: number, ch2: number, tok2: number): number {
    if (this.ch === 0x3d) {
      this.next();
      return tok1;
    }
    if (this.ch === ch2) {
      this.next();
      return tok2;
    }
    return tok0;
  }

  private switch4(tok0: number, tok1: number, ch2: number, tok2: number, tok3: number): number {
    if (this.ch === 0x3d) {
      this.next();
      return tok1;
    }
    if (this.ch === ch2) {
      this.next();
      if (this.ch === 0x3d) {
        this.next();
        return tok3;
      }
      return tok2;
    }
    return tok0;
  }

  /** Scans the next token into tok, pos, lit (and stringEnd for strings). Comments are returned as COMMENT. */
  scan(): void {
    for (;;) {
      if (this.nlPos >= 0) {
        this.pos = this.nlPos;
        this.tok = T.SEMICOLON;
        this.lit = '\n';
        this.nlPos = -1;
        return;
      }
      this.skipWhitespace();
      const pos = this.offset;
      this.pos = pos;
      let insertSemi = false;
      let tok: number;
      let lit = '';
      const ch = this.ch;
      if (isLetterStart(ch) || (ch >= 0x80 && isLetter(ch))) {
        lit = this.scanIdentifier();
        if (lit.length > 1) {
          const kw = ch >= 0x61 && ch <= 0x7a ? T.keywords.get(lit) : undefined;
          tok = kw ?? T.IDENT;
          if (tok === T.IDENT || tok === T.BREAK || tok === T.CONTINUE || tok === T.FALLTHROUGH || tok === T.RETURN) insertSemi = true;
        } else {
          insertSemi = true;
          tok = T.IDENT;
        }
      } else if (isDecimal(ch) || (ch === 0x2e && isDecimal(this.peek()))) {
        insertSemi = true;
        tok = this.scanNumber();
        lit = this.lit;
      } else {
        this.next(); // always make progress
        switch (ch) {
          case EOF_CH:
            if (this.insertSemi) {
              this.insertSemi = false;
              this.tok = T.SEMICOLON;
              this.lit = '\n';
              return;
            }
            tok = T.EOF;
            break;
          case 10:
            this.insertSemi = false;
            this.tok = T.SEMICOLON;
            this.lit = '\n';
            return;
          case 0x22:
            insertSemi = true;
            tok = T.STRING;
            lit = this.scanString();
            this.stringEnd = this.offset;
            break;
          case 0x27:
            insertSemi = true;
            tok = T.CHAR;
            lit = this.scanRune();
            break;
          case 0x60: {
            insertSemi = true;
            tok = T.STRING;
            const [l, rawLen] = this.scanRawString();
            lit = l;
            this.stringEnd = pos + rawLen;
            break;
          }
          case 0x3a: tok = this.switch2(T.COLON, T.DEFINE); break;
          case 0x2e:
            tok = T.PERIOD;
            if (this.ch === 0x2e && this.peek() === 0x2e) {
              this.next();
              this.next();
              tok = T.ELLIPSIS;
            }
            break;
          case 0x2c: tok = T.COMMA; break;
          case 0x3b: tok = T.SEMICOLON; lit = ';'; break;
          case 0x28: tok = T.LPAREN; break;
          case 0x29: insertSemi = true; tok = T.RPAREN; break;
          case 0x5b: tok = T.LBRACK; break;
          case 0x5d: insertSemi = true; tok = T.RBRACK; break;
          case 0x7b: tok = T.LBRACE; break;
          case 0x7d: insertSemi = true; tok = T.RBRACE; break;
          case 0x2b:
            tok = this.switch3(T.ADD, T.ADD_ASSIGN, 0x2b, T.INC);
            if (tok === T.INC) insertSemi = true;
            break;
          case 0x2d:
            tok = this.switch3(T.SUB, T.SUB_ASSIGN, 0x2d, T.DEC);
            if (tok === T.DEC) insertSemi = true;
            break;
          case 0x2a: tok = this.switch2(T.MUL, T.MUL_ASSIGN); break;
          case 0x2f:
            if (this.ch === 0x2f || this.ch === 0x2a) {
              const [comment, nlOffset] = this.scanComment();
              if (this.insertSemi && nlOffset !== 0) {
                this.nlPos = nlOffset;
                this.insertSemi = false;
              } else {
                insertSemi = this.insertSemi;
              }
              tok = T.COMMENT;
              lit = comment;
            } else {
              tok = this.switch2(T.QUO, T.QUO_ASSIGN);
            }
            break;
          case 0x25: tok = this.switch2(T.REM, T.REM_ASSIGN); break;
          case 0x5e: tok = this.switch2(T.XOR, T.XOR_ASSIGN); break;
          case 0x3c:
            if (this.ch === 0x2d) {
              this.next();
              tok = T.ARROW;
            } else {
              tok = this.switch4(T.LSS, T.LEQ, 0x3c, T.SHL, T.SHL_ASSIGN);
            }
            break;
          case 0x3e: tok = this.switch4(T.GTR, T.GEQ, 0x3e, T.SHR, T.SHR_ASSIGN); break;
          case 0x3d: tok = this.switch2(T.ASSIGN, T.EQL); break;
          case 0x21: tok = this.switch2(T.NOT, T.NEQ); break;
          case 0x26:
            if (this.ch === 0x5e) {
              this.next();
              tok = this.switch2(T.AND_NOT, T.AND_NOT_ASSIGN);
            } else {
              tok = this.switch3(T.AND, T.AND_ASSIGN, 0x26, T.LAND);
            }
            break;
          case 0x7c: tok = this.switch3(T.OR, T.OR_ASSIGN, 0x7c, T.LOR); break;
          case 0x7e: tok = T.TILDE; break;
          default:
            if (ch !== BOM) {
              if (ch === 0x201c || ch === 0x201d) {
                this.error(pos, `curly quotation mark ${quoteRune(ch)} (use neutral '"')`);
              } else {
                this.error(pos, `illegal character ${fmtU(ch)}`);
              }
            }
            insertSemi = this.insertSemi;
            tok = T.ILLEGAL;
            lit = ch >= 0 ? String.fromCodePoint(ch) : '';
        }
      }
      this.insertSemi = insertSemi;
      this.tok = tok;
      this.lit = lit;
      return;
    }
  }
}

function isLetterStart(ch: number): boolean {
  return (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || ch === 0x5f;
}

function litname(prefix: number): string {
  switch (prefix) {
    case 0x78: return 'hexadecimal literal';
    case 0x6f:
    case 0x30: return 'octal literal';
    case 0x62: return 'binary literal';
  }
  return 'decimal literal';
}

/** Index of the first misplaced '_' in a number literal, or -1. */
function invalidSep(x: string): number {
  let x1 = 0x20;
  let d = 0x2e; // '.'
  let i = 0;
  if (x.length >= 2 && x.charCodeAt(0) === 0x30) {
    x1 = lower(x.charCodeAt(1));
    if (x1 === 0x78 || x1 === 0x6f || x1 === 0x62) {
      d = 0x30;
      i = 2;
    }
  }
  for (; i < x.length; i++) {
    const p = d;
    d = x.charCodeAt(i);
    if (d === 0x5f) {
      if (p !== 0x30) return i;
    } else if (isDecimal(d) || (x1 === 0x78 && isHex(d))) {
      d = 0x30;
    } else {
      if (p === 0x5f) return i - 1;
      d = 0x2e;
    }
  }
  if (d === 0x5f) return x.length - 1;
  return -1;
}

function trailingDigits(text: string): [number, number, boolean] {
  const i = text.lastIndexOf(':');
  if (i < 0) return [0, 0, false];
  const digits = text.slice(i + 1);
  if (!/^[0-9]+$/.test(digits)) return [i + 1, 0, false];
  const n = Number(digits);
  // strconv.ParseUint(s, 10, 0) fails on overflow of uint64
  if (!Number.isSafeInteger(n) && BigInt(digits) > 0xffffffffffffffffn) return [i + 1, 0, false];
  return [i + 1, n, true];
}

/** Removes \r characters (for comments, keeps a \r directly before the closing star-slash... as go/scanner does). */
function stripCR(s: string, comment: boolean): string {
  let out = '';
  for (let j = 0; j < s.length; j++) {
    const c = s[j]!;
    if (c !== '\r' || (comment && out.length > 2 && out[out.length - 1] === '*' && j + 1 < s.length && s[j + 1] === '/')) {
      out += c;
    }
  }
  return out;
}
