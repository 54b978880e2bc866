import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  NOPOS,
  RECV,
  SEND,
  SourceFile,
  encodeUtf8,
  end,
  pos,
  unparen,
  utf8Len
} from "./chunk-YTCJ642O.js";

// src/syntax/token.ts
var ILLEGAL = 0;
var EOF = 1;
var COMMENT = 2;
var IDENT = 3;
var INT = 4;
var FLOAT = 5;
var IMAG = 6;
var CHAR = 7;
var STRING = 8;
var ADD = 10;
var SUB = 11;
var MUL = 12;
var QUO = 13;
var REM = 14;
var AND = 15;
var OR = 16;
var XOR = 17;
var SHL = 18;
var SHR = 19;
var AND_NOT = 20;
var ADD_ASSIGN = 21;
var SUB_ASSIGN = 22;
var MUL_ASSIGN = 23;
var QUO_ASSIGN = 24;
var REM_ASSIGN = 25;
var AND_ASSIGN = 26;
var OR_ASSIGN = 27;
var XOR_ASSIGN = 28;
var SHL_ASSIGN = 29;
var SHR_ASSIGN = 30;
var AND_NOT_ASSIGN = 31;
var LAND = 32;
var LOR = 33;
var ARROW = 34;
var INC = 35;
var DEC = 36;
var EQL = 37;
var LSS = 38;
var GTR = 39;
var ASSIGN = 40;
var NOT = 41;
var NEQ = 42;
var LEQ = 43;
var GEQ = 44;
var DEFINE = 45;
var ELLIPSIS = 46;
var LPAREN = 47;
var LBRACK = 48;
var LBRACE = 49;
var COMMA = 50;
var PERIOD = 51;
var RPAREN = 52;
var RBRACK = 53;
var RBRACE = 54;
var SEMICOLON = 55;
var COLON = 56;
var TILDE = 57;
var BREAK = 60;
var CASE = 61;
var CHAN = 62;
var CONST = 63;
var CONTINUE = 64;
var DEFAULT = 65;
var DEFER = 66;
var ELSE = 67;
var FALLTHROUGH = 68;
var FOR = 69;
var FUNC = 70;
var GO = 71;
var GOTO = 72;
var IF = 73;
var IMPORT = 74;
var INTERFACE = 75;
var MAP = 76;
var PACKAGE = 77;
var RANGE = 78;
var RETURN = 79;
var SELECT = 80;
var STRUCT = 81;
var SWITCH = 82;
var TYPE = 83;
var VAR = 84;
var NUM_TOKENS = 85;
var tokenString = new Array(NUM_TOKENS).fill("");
var spellings = [
  [ILLEGAL, "ILLEGAL"],
  [EOF, "EOF"],
  [COMMENT, "COMMENT"],
  [IDENT, "IDENT"],
  [INT, "INT"],
  [FLOAT, "FLOAT"],
  [IMAG, "IMAG"],
  [CHAR, "CHAR"],
  [STRING, "STRING"],
  [ADD, "+"],
  [SUB, "-"],
  [MUL, "*"],
  [QUO, "/"],
  [REM, "%"],
  [AND, "&"],
  [OR, "|"],
  [XOR, "^"],
  [SHL, "<<"],
  [SHR, ">>"],
  [AND_NOT, "&^"],
  [ADD_ASSIGN, "+="],
  [SUB_ASSIGN, "-="],
  [MUL_ASSIGN, "*="],
  [QUO_ASSIGN, "/="],
  [REM_ASSIGN, "%="],
  [AND_ASSIGN, "&="],
  [OR_ASSIGN, "|="],
  [XOR_ASSIGN, "^="],
  [SHL_ASSIGN, "<<="],
  [SHR_ASSIGN, ">>="],
  [AND_NOT_ASSIGN, "&^="],
  [LAND, "&&"],
  [LOR, "||"],
  [ARROW, "<-"],
  [INC, "++"],
  [DEC, "--"],
  [EQL, "=="],
  [LSS, "<"],
  [GTR, ">"],
  [ASSIGN, "="],
  [NOT, "!"],
  [NEQ, "!="],
  [LEQ, "<="],
  [GEQ, ">="],
  [DEFINE, ":="],
  [ELLIPSIS, "..."],
  [LPAREN, "("],
  [LBRACK, "["],
  [LBRACE, "{"],
  [COMMA, ","],
  [PERIOD, "."],
  [RPAREN, ")"],
  [RBRACK, "]"],
  [RBRACE, "}"],
  [SEMICOLON, ";"],
  [COLON, ":"],
  [TILDE, "~"],
  [BREAK, "break"],
  [CASE, "case"],
  [CHAN, "chan"],
  [CONST, "const"],
  [CONTINUE, "continue"],
  [DEFAULT, "default"],
  [DEFER, "defer"],
  [ELSE, "else"],
  [FALLTHROUGH, "fallthrough"],
  [FOR, "for"],
  [FUNC, "func"],
  [GO, "go"],
  [GOTO, "goto"],
  [IF, "if"],
  [IMPORT, "import"],
  [INTERFACE, "interface"],
  [MAP, "map"],
  [PACKAGE, "package"],
  [RANGE, "range"],
  [RETURN, "return"],
  [SELECT, "select"],
  [STRUCT, "struct"],
  [SWITCH, "switch"],
  [TYPE, "type"],
  [VAR, "var"]
];
for (const [t, s] of spellings) tokenString[t] = s;
var keywords = /* @__PURE__ */ new Map();
for (let t = BREAK; t <= VAR; t++) keywords.set(tokenString[t], t);
function isLiteral(tok) {
  return tok >= IDENT && tok <= STRING;
}
var LOWEST_PREC = 0;
var precedence = new Int8Array(NUM_TOKENS);
precedence[LOR] = 1;
precedence[LAND] = 2;
for (const t of [EQL, NEQ, LSS, LEQ, GTR, GEQ]) precedence[t] = 3;
for (const t of [ADD, SUB, OR, XOR]) precedence[t] = 4;
for (const t of [MUL, QUO, REM, SHL, SHR, AND, AND_NOT]) precedence[t] = 5;

// src/syntax/scanner.ts
var EOF_CH = -1;
var BOM = 65279;
var letterRe = new RegExp("^\\p{L}$", "u");
var digitRe = new RegExp("^\\p{Nd}$", "u");
function isLetter(ch) {
  if (ch < 128) return ch >= 97 && ch <= 122 || ch >= 65 && ch <= 90 || ch === 95;
  return letterRe.test(String.fromCodePoint(ch));
}
function isDigit(ch) {
  if (ch < 128) return ch >= 48 && ch <= 57;
  return digitRe.test(String.fromCodePoint(ch));
}
function isDecimal(ch) {
  return ch >= 48 && ch <= 57;
}
function lower(ch) {
  return 32 | ch;
}
function isHex(ch) {
  return ch >= 48 && ch <= 57 || lower(ch) >= 97 && lower(ch) <= 102;
}
function digitVal(ch) {
  if (ch >= 48 && ch <= 57) return ch - 48;
  const l = lower(ch);
  if (l >= 97 && l <= 102) return l - 97 + 10;
  return 16;
}
var identByte = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  if (c >= 97 && c <= 122 || c >= 65 && c <= 90 || c === 95 || c >= 48 && c <= 57) identByte[c] = 1;
}
var textDecoder = new TextDecoder("utf-8");
var nodeBuffer = globalThis.Buffer;
var utf8Slice = nodeBuffer?.prototype.utf8Slice;
var latin1Slice = nodeBuffer?.prototype.latin1Slice;
function sliceText(src, start, end2) {
  if (utf8Slice) return utf8Slice.call(src, start, end2);
  if (end2 - start <= 16) {
    let s = "";
    for (let i = start; i < end2; i++) {
      const b = src[i];
      if (b >= 128) return textDecoder.decode(src.subarray(start, end2));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return textDecoder.decode(src.subarray(start, end2));
}
var IDENT_TABLE_BITS = 16;
var IDENT_TABLE_SIZE = 1 << IDENT_TABLE_BITS;
var identStrings = new Array(IDENT_TABLE_SIZE);
var identBytes = new Array(IDENT_TABLE_SIZE);
function identString(src, start, end2) {
  const len = end2 - start;
  if (len > 32) return sliceText(src, start, end2);
  let h = 2166136261;
  for (let i = start; i < end2; i++) h = Math.imul(h ^ src[i], 16777619);
  let slot = h >>> 32 - IDENT_TABLE_BITS & IDENT_TABLE_SIZE - 1;
  for (let probe = 0; probe < 8; probe++) {
    const b = identBytes[slot];
    if (b === void 0) {
      const str = latin1Slice && isAscii(src, start, end2) ? latin1Slice.call(src, start, end2) : sliceText(src, start, end2);
      identBytes[slot] = src.slice(start, end2);
      identStrings[slot] = str;
      return str;
    }
    if (b.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) if (b[i] !== src[start + i]) {
        same = false;
        break;
      }
      if (same) return identStrings[slot];
    }
    slot = slot + 1 & IDENT_TABLE_SIZE - 1;
  }
  return sliceText(src, start, end2);
}
function isAscii(src, start, end2) {
  for (let i = start; i < end2; i++) if (src[i] >= 128) return false;
  return true;
}
function quoteRune(ch) {
  return JSON.stringify(String.fromCodePoint(ch)).replace(/^"|"$/g, "'");
}
function fmtU(ch) {
  const hex = ch.toString(16).toUpperCase().padStart(4, "0");
  const printable = ch >= 32 && ch !== 127 && !(ch >= 128 && ch < 160);
  return printable ? `U+${hex} '${String.fromCodePoint(ch)}'` : `U+${hex}`;
}
var Scanner = class {
  src;
  errors = [];
  lineDirectives = [];
  filename;
  // current character
  ch = 32;
  offset = 0;
  rdOffset = 0;
  lineOffset = 0;
  insertSemi = false;
  nlPos = -1;
  // results of the last scan
  tok = ILLEGAL;
  pos = 0;
  lit = "";
  /** End offset of the last STRING token's source text (raw strings may have had \r removed from lit). */
  stringEnd = 0;
  constructor(filename, src) {
    this.filename = filename;
    this.src = src;
    this.next();
    if (this.ch === BOM) this.next();
  }
  error(offset, message) {
    this.errors.push({ offset, message });
  }
  /**
   * Skips the rest of a block whose '{' was the last token scanned, matching braces at the byte
   * level: comments, string and rune literals are stepped over, no tokens are made and nothing
   * inside is checked (no errors, no line directives). Afterwards the next scan() returns the
   * matching '}', or EOF when there is none. For declarations-only parsing, where bodies are not
   * wanted: several times faster than scanning their tokens.
   */
  skipBlock() {
    const src = this.src;
    const n = src.length;
    let i = this.ch === EOF_CH ? n : this.offset;
    let depth = 1;
    while (i < n) {
      const c = src[i];
      if (c === 125) {
        if (--depth === 0) {
          this.offset = i;
          this.rdOffset = i + 1;
          this.ch = 125;
          this.lineOffset = src.lastIndexOf(10, i) + 1;
          this.insertSemi = false;
          this.nlPos = -1;
          return;
        }
        i++;
      } else if (c === 123) {
        depth++;
        i++;
      } else if (c === 47) {
        const d = src[i + 1];
        if (d === 47) {
          i += 2;
          while (i < n && src[i] !== 10) i++;
        } else if (d === 42) {
          i += 2;
          while (i < n && !(src[i] === 42 && src[i + 1] === 47)) i++;
          i += 2;
        } else i++;
      } else if (c === 34 || c === 39) {
        i++;
        while (i < n && src[i] !== c && src[i] !== 10) i += src[i] === 92 && src[i + 1] !== 10 ? 2 : 1;
        i++;
      } else if (c === 96) {
        i++;
        while (i < n && src[i] !== 96) i++;
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
  next() {
    const src = this.src;
    if (this.rdOffset < src.length) {
      this.offset = this.rdOffset;
      if (this.ch === 10) this.lineOffset = this.offset;
      const b = src[this.rdOffset];
      if (b < 128) {
        if (b === 0) this.error(this.offset, "illegal character NUL");
        this.rdOffset++;
        this.ch = b;
        return;
      }
      const [r, w] = this.decodeRune(this.rdOffset);
      if (r === 65533 && w === 1) {
        if (this.offset === 0 && src.length >= 2 && (src[0] === 255 && src[1] === 254 || src[0] === 254 && src[1] === 255)) {
          this.error(this.offset, "illegal UTF-8 encoding (got UTF-16)");
          this.rdOffset = src.length;
          this.ch = r;
          return;
        }
        this.error(this.offset, "illegal UTF-8 encoding");
      } else if (r === BOM && this.offset > 0) {
        this.error(this.offset, "illegal byte order mark");
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
  decodeRune(i) {
    const src = this.src;
    const n = src.length;
    const b0 = src[i];
    if (b0 < 128) return [b0, 1];
    const cont = (j, lo = 128, hi = 191) => {
      if (j >= n) return -1;
      const b = src[j];
      return b >= lo && b <= hi ? b & 63 : -1;
    };
    if (b0 >= 194 && b0 <= 223) {
      const c1 = cont(i + 1);
      return c1 < 0 ? [65533, 1] : [(b0 & 31) << 6 | c1, 2];
    }
    if (b0 >= 224 && b0 <= 239) {
      const lo = b0 === 224 ? 160 : 128;
      const hi = b0 === 237 ? 159 : 191;
      const c1 = cont(i + 1, lo, hi);
      if (c1 < 0) return [65533, 1];
      const c2 = cont(i + 2);
      if (c2 < 0) return [65533, 1];
      return [(b0 & 15) << 12 | c1 << 6 | c2, 3];
    }
    if (b0 >= 240 && b0 <= 244) {
      const lo = b0 === 240 ? 144 : 128;
      const hi = b0 === 244 ? 143 : 191;
      const c1 = cont(i + 1, lo, hi);
      if (c1 < 0) return [65533, 1];
      const c2 = cont(i + 2);
      if (c2 < 0) return [65533, 1];
      const c3 = cont(i + 3);
      if (c3 < 0) return [65533, 1];
      return [(b0 & 7) << 18 | c1 << 12 | c2 << 6 | c3, 4];
    }
    return [65533, 1];
  }
  /**
   * Fast path over printable ASCII and tabs: when the current character is one, advance to the
   * last such byte of the run (the next call of next() then reads the first other byte).
   */
  skipPlainBytes() {
    const ch = this.ch;
    if (!(ch >= 32 && ch < 127 || ch === 9)) return;
    const src = this.src;
    const n = src.length;
    let i = this.rdOffset;
    while (i < n) {
      const b = src[i];
      if (b >= 32 && b < 127 || b === 9) i++;
      else break;
    }
    if (i > this.rdOffset) {
      this.offset = i - 1;
      this.rdOffset = i;
      this.ch = src[i - 1];
    }
  }
  peek() {
    return this.rdOffset < this.src.length ? this.src[this.rdOffset] : 0;
  }
  text(start, end2) {
    return sliceText(this.src, start, end2);
  }
  scanComment() {
    const offs = this.offset - 1;
    let next = -1;
    let numCR = 0;
    let nlOffset = 0;
    const lineComment = this.ch === 47;
    if (lineComment) {
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
      this.next();
      let terminated = false;
      while (this.ch >= 0) {
        const ch = this.ch;
        if (ch === 13) numCR++;
        else if (ch === 10 && nlOffset === 0) nlOffset = this.offset;
        this.next();
        if (ch === 42 && this.ch === 47) {
          this.next();
          next = this.offset;
          terminated = true;
          break;
        }
      }
      if (!terminated) this.error(offs, "comment not terminated");
    }
    let end2 = this.offset;
    const src = this.src;
    if (numCR > 0 && end2 - offs >= 2 && src[offs + 1] === 47 && src[end2 - 1] === 13) {
      end2--;
      numCR--;
    }
    if (next >= 0 && (src[offs + 1] === 42 || offs === this.lineOffset) && this.hasPrefix(offs + 2, end2, "line ")) {
      this.updateLineInfo(next, offs, end2);
    }
    let lit = this.text(offs, end2);
    if (numCR > 0) lit = stripCR(lit, src[offs + 1] === 42);
    return [lit, nlOffset];
  }
  hasPrefix(start, end2, prefix) {
    if (end2 - start < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.src[start + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }
  updateLineInfo(next, offs, end2) {
    let text = this.text(offs, end2);
    if (text[1] === "*") text = text.slice(0, -2);
    text = text.slice(7);
    offs += 7;
    let [i, n, ok] = trailingDigits(text);
    if (i === 0) return;
    if (!ok) {
      this.error(offs + i, "invalid line number: " + text.slice(i));
      return;
    }
    const maxLineCol = 1 << 30;
    let line;
    let col = 0;
    const [i2, n2, ok2] = trailingDigits(text.slice(0, i - 1));
    if (ok2) {
      const ii = i;
      i = i2;
      const iCol = ii;
      line = n2;
      col = n;
      if (col === 0 || col > maxLineCol) {
        this.error(offs + iCol, "invalid column number: " + text.slice(iCol));
        return;
      }
      text = text.slice(0, iCol - 1);
    } else {
      line = n;
    }
    if (line === 0 || line > maxLineCol) {
      this.error(offs + i, "invalid line number: " + text.slice(i));
      return;
    }
    let filename = text.slice(0, i - 1);
    if (filename === "" && ok2) {
      filename = this.currentFilename(offs);
    }
    this.lineDirectives.push({ offset: next, filename, line, column: col });
  }
  currentFilename(offs) {
    let name = this.filename;
    for (const d of this.lineDirectives) if (d.offset <= offs) name = d.filename;
    return name;
  }
  scanIdentifier() {
    const src = this.src;
    const offs = this.offset;
    let i = this.rdOffset;
    const n = src.length;
    while (i < n && identByte[src[i]] === 1) i++;
    if (i >= n) {
      this.offset = n;
      this.rdOffset = n;
      this.ch = EOF_CH;
    } else if (src[i] < 128 && src[i] !== 0) {
      this.ch = src[i];
      this.offset = i;
      this.rdOffset = i + 1;
    } else {
      this.rdOffset = i;
      this.next();
      while (isLetter(this.ch) || isDigit(this.ch)) this.next();
    }
    return identString(this.src, offs, this.offset);
  }
  digits(base, invalid) {
    let digsep = 0;
    if (base <= 10) {
      const max = 48 + base;
      while (isDecimal(this.ch) || this.ch === 95) {
        let ds = 1;
        if (this.ch === 95) ds = 2;
        else if (this.ch >= max && invalid && invalid.at < 0) invalid.at = this.offset;
        digsep |= ds;
        this.next();
      }
    } else {
      while (isHex(this.ch) || this.ch === 95) {
        digsep |= this.ch === 95 ? 2 : 1;
        this.next();
      }
    }
    return digsep;
  }
  scanNumber() {
    const offs = this.offset;
    let tok = ILLEGAL;
    let base = 10;
    let prefix = 0;
    let digsep = 0;
    const invalid = { at: -1 };
    if (this.ch !== 46) {
      tok = INT;
      if (this.ch === 48) {
        this.next();
        switch (lower(this.ch)) {
          case 120:
            this.next();
            base = 16;
            prefix = 120;
            break;
          case 111:
            this.next();
            base = 8;
            prefix = 111;
            break;
          case 98:
            this.next();
            base = 2;
            prefix = 98;
            break;
          default:
            base = 8;
            prefix = 48;
            digsep = 1;
        }
      }
      digsep |= this.digits(base, invalid);
    }
    if (this.ch === 46) {
      tok = FLOAT;
      if (prefix === 111 || prefix === 98) this.error(this.offset, "invalid radix point in " + litname(prefix));
      this.next();
      digsep |= this.digits(base, invalid);
    }
    if ((digsep & 1) === 0) this.error(this.offset, litname(prefix) + " has no digits");
    const e = lower(this.ch);
    if (e === 101 || e === 112) {
      if (e === 101 && prefix !== 0 && prefix !== 48) {
        this.error(this.offset, `${quoteRune(this.ch)} exponent requires decimal mantissa`);
      } else if (e === 112 && prefix !== 120) {
        this.error(this.offset, `${quoteRune(this.ch)} exponent requires hexadecimal mantissa`);
      }
      this.next();
      tok = FLOAT;
      if (this.ch === 43 || this.ch === 45) this.next();
      const ds = this.digits(10, null);
      digsep |= ds;
      if ((ds & 1) === 0) this.error(this.offset, "exponent has no digits");
    } else if (prefix === 120 && tok === FLOAT) {
      this.error(this.offset, "hexadecimal mantissa requires a 'p' exponent");
    }
    if (this.ch === 105) {
      tok = IMAG;
      this.next();
    }
    const lit = this.text(offs, this.offset);
    if (tok === INT && invalid.at >= 0) {
      this.error(invalid.at, `invalid digit ${quoteRune(lit.charCodeAt(invalid.at - offs))} in ${litname(prefix)}`);
    }
    if (digsep & 2) {
      const i = invalidSep(lit);
      if (i >= 0) this.error(offs + i, "'_' must separate successive digits");
    }
    this.lit = lit;
    return tok;
  }
  scanEscape(quote) {
    const offs = this.offset;
    let n;
    let base;
    let max;
    switch (this.ch) {
      case 97:
      case 98:
      case 102:
      case 110:
      case 114:
      case 116:
      case 118:
      case 92:
      case quote:
        this.next();
        return true;
      case 48:
      case 49:
      case 50:
      case 51:
      case 52:
      case 53:
      case 54:
      case 55:
        n = 3;
        base = 8;
        max = 255;
        break;
      case 120:
        this.next();
        n = 2;
        base = 16;
        max = 255;
        break;
      case 117:
        this.next();
        n = 4;
        base = 16;
        max = 1114111;
        break;
      case 85:
        this.next();
        n = 8;
        base = 16;
        max = 1114111;
        break;
      default:
        this.error(offs, this.ch < 0 ? "escape sequence not terminated" : "unknown escape sequence");
        return false;
    }
    let x = 0;
    while (n > 0) {
      const d = this.ch < 0 ? 16 : digitVal(this.ch);
      if (d >= base) {
        this.error(this.offset, this.ch < 0 ? "escape sequence not terminated" : `illegal character ${fmtU(this.ch)} in escape sequence`);
        return false;
      }
      x = x * base + d;
      this.next();
      n--;
    }
    if (x > max || x >= 55296 && x < 57344) {
      this.error(offs, "escape sequence is invalid Unicode code point");
      return false;
    }
    return true;
  }
  scanRune() {
    const offs = this.offset - 1;
    let valid = true;
    let n = 0;
    for (; ; ) {
      const ch = this.ch;
      if (ch === 10 || ch < 0) {
        if (valid) {
          this.error(offs, "rune literal not terminated");
          valid = false;
        }
        break;
      }
      this.next();
      if (ch === 39) break;
      n++;
      if (ch === 92) {
        if (!this.scanEscape(39)) valid = false;
      }
    }
    if (valid && n !== 1) this.error(offs, "illegal rune literal");
    return this.text(offs, this.offset);
  }
  scanString() {
    const offs = this.offset - 1;
    const src = this.src;
    let i = this.rdOffset - 1;
    for (; ; ) {
      const ch = this.ch;
      if (ch === 10 || ch < 0) {
        this.error(offs, "string literal not terminated");
        break;
      }
      if (ch === 34) {
        this.next();
        break;
      }
      if (ch === 92) {
        this.next();
        this.scanEscape(34);
        continue;
      }
      i = this.rdOffset;
      while (i < src.length) {
        const b = src[i];
        if (b === 34 || b === 92 || b === 10 || b === 0 || b >= 128) break;
        i++;
      }
      if (i > this.rdOffset) {
        this.offset = i - 1;
        this.rdOffset = i;
        this.ch = src[i - 1];
      }
      this.next();
    }
    return this.text(offs, this.offset);
  }
  scanRawString() {
    const offs = this.offset - 1;
    let hasCR = false;
    for (; ; ) {
      const ch = this.ch;
      if (ch < 0) {
        this.error(offs, "raw string literal not terminated");
        break;
      }
      this.next();
      if (ch === 96) break;
      if (ch === 13) hasCR = true;
    }
    let lit = this.text(offs, this.offset);
    const rawLen = this.offset - offs;
    if (hasCR) lit = stripCR(lit, false);
    return [lit, rawLen];
  }
  skipWhitespace() {
    for (; ; ) {
      const ch = this.ch;
      if (ch === 32 || ch === 9 || ch === 10 && !this.insertSemi || ch === 13) this.next();
      else return;
    }
  }
  switch2(tok0, tok1) {
    if (this.ch === 61) {
      this.next();
      return tok1;
    }
    return tok0;
  }
  switch3(tok0, tok1, ch2, tok2) {
    if (this.ch === 61) {
      this.next();
      return tok1;
    }
    if (this.ch === ch2) {
      this.next();
      return tok2;
    }
    return tok0;
  }
  switch4(tok0, tok1, ch2, tok2, tok3) {
    if (this.ch === 61) {
      this.next();
      return tok1;
    }
    if (this.ch === ch2) {
      this.next();
      if (this.ch === 61) {
        this.next();
        return tok3;
      }
      return tok2;
    }
    return tok0;
  }
  /** Scans the next token into tok, pos, lit (and stringEnd for strings). Comments are returned as COMMENT. */
  scan() {
    for (; ; ) {
      if (this.nlPos >= 0) {
        this.pos = this.nlPos;
        this.tok = SEMICOLON;
        this.lit = "\n";
        this.nlPos = -1;
        return;
      }
      this.skipWhitespace();
      const pos2 = this.offset;
      this.pos = pos2;
      let insertSemi = false;
      let tok;
      let lit = "";
      const ch = this.ch;
      if (isLetterStart(ch) || ch >= 128 && isLetter(ch)) {
        lit = this.scanIdentifier();
        if (lit.length > 1) {
          const kw = ch >= 97 && ch <= 122 ? keywords.get(lit) : void 0;
          tok = kw ?? IDENT;
          if (tok === IDENT || tok === BREAK || tok === CONTINUE || tok === FALLTHROUGH || tok === RETURN) insertSemi = true;
        } else {
          insertSemi = true;
          tok = IDENT;
        }
      } else if (isDecimal(ch) || ch === 46 && isDecimal(this.peek())) {
        insertSemi = true;
        tok = this.scanNumber();
        lit = this.lit;
      } else {
        this.next();
        switch (ch) {
          case EOF_CH:
            if (this.insertSemi) {
              this.insertSemi = false;
              this.tok = SEMICOLON;
              this.lit = "\n";
              return;
            }
            tok = EOF;
            break;
          case 10:
            this.insertSemi = false;
            this.tok = SEMICOLON;
            this.lit = "\n";
            return;
          case 34:
            insertSemi = true;
            tok = STRING;
            lit = this.scanString();
            this.stringEnd = this.offset;
            break;
          case 39:
            insertSemi = true;
            tok = CHAR;
            lit = this.scanRune();
            break;
          case 96: {
            insertSemi = true;
            tok = STRING;
            const [l, rawLen] = this.scanRawString();
            lit = l;
            this.stringEnd = pos2 + rawLen;
            break;
          }
          case 58:
            tok = this.switch2(COLON, DEFINE);
            break;
          case 46:
            tok = PERIOD;
            if (this.ch === 46 && this.peek() === 46) {
              this.next();
              this.next();
              tok = ELLIPSIS;
            }
            break;
          case 44:
            tok = COMMA;
            break;
          case 59:
            tok = SEMICOLON;
            lit = ";";
            break;
          case 40:
            tok = LPAREN;
            break;
          case 41:
            insertSemi = true;
            tok = RPAREN;
            break;
          case 91:
            tok = LBRACK;
            break;
          case 93:
            insertSemi = true;
            tok = RBRACK;
            break;
          case 123:
            tok = LBRACE;
            break;
          case 125:
            insertSemi = true;
            tok = RBRACE;
            break;
          case 43:
            tok = this.switch3(ADD, ADD_ASSIGN, 43, INC);
            if (tok === INC) insertSemi = true;
            break;
          case 45:
            tok = this.switch3(SUB, SUB_ASSIGN, 45, DEC);
            if (tok === DEC) insertSemi = true;
            break;
          case 42:
            tok = this.switch2(MUL, MUL_ASSIGN);
            break;
          case 47:
            if (this.ch === 47 || this.ch === 42) {
              const [comment, nlOffset] = this.scanComment();
              if (this.insertSemi && nlOffset !== 0) {
                this.nlPos = nlOffset;
                this.insertSemi = false;
              } else {
                insertSemi = this.insertSemi;
              }
              tok = COMMENT;
              lit = comment;
            } else {
              tok = this.switch2(QUO, QUO_ASSIGN);
            }
            break;
          case 37:
            tok = this.switch2(REM, REM_ASSIGN);
            break;
          case 94:
            tok = this.switch2(XOR, XOR_ASSIGN);
            break;
          case 60:
            if (this.ch === 45) {
              this.next();
              tok = ARROW;
            } else {
              tok = this.switch4(LSS, LEQ, 60, SHL, SHL_ASSIGN);
            }
            break;
          case 62:
            tok = this.switch4(GTR, GEQ, 62, SHR, SHR_ASSIGN);
            break;
          case 61:
            tok = this.switch2(ASSIGN, EQL);
            break;
          case 33:
            tok = this.switch2(NOT, NEQ);
            break;
          case 38:
            if (this.ch === 94) {
              this.next();
              tok = this.switch2(AND_NOT, AND_NOT_ASSIGN);
            } else {
              tok = this.switch3(AND, AND_ASSIGN, 38, LAND);
            }
            break;
          case 124:
            tok = this.switch3(OR, OR_ASSIGN, 124, LOR);
            break;
          case 126:
            tok = TILDE;
            break;
          default:
            if (ch !== BOM) {
              if (ch === 8220 || ch === 8221) {
                this.error(pos2, `curly quotation mark ${quoteRune(ch)} (use neutral '"')`);
              } else {
                this.error(pos2, `illegal character ${fmtU(ch)}`);
              }
            }
            insertSemi = this.insertSemi;
            tok = ILLEGAL;
            lit = ch >= 0 ? String.fromCodePoint(ch) : "";
        }
      }
      this.insertSemi = insertSemi;
      this.tok = tok;
      this.lit = lit;
      return;
    }
  }
};
function isLetterStart(ch) {
  return ch >= 97 && ch <= 122 || ch >= 65 && ch <= 90 || ch === 95;
}
function litname(prefix) {
  switch (prefix) {
    case 120:
      return "hexadecimal literal";
    case 111:
    case 48:
      return "octal literal";
    case 98:
      return "binary literal";
  }
  return "decimal literal";
}
function invalidSep(x) {
  let x1 = 32;
  let d = 46;
  let i = 0;
  if (x.length >= 2 && x.charCodeAt(0) === 48) {
    x1 = lower(x.charCodeAt(1));
    if (x1 === 120 || x1 === 111 || x1 === 98) {
      d = 48;
      i = 2;
    }
  }
  for (; i < x.length; i++) {
    const p = d;
    d = x.charCodeAt(i);
    if (d === 95) {
      if (p !== 48) return i;
    } else if (isDecimal(d) || x1 === 120 && isHex(d)) {
      d = 48;
    } else {
      if (p === 95) return i - 1;
      d = 46;
    }
  }
  if (d === 95) return x.length - 1;
  return -1;
}
function trailingDigits(text) {
  const i = text.lastIndexOf(":");
  if (i < 0) return [0, 0, false];
  const digits = text.slice(i + 1);
  if (!/^[0-9]+$/.test(digits)) return [i + 1, 0, false];
  const n = Number(digits);
  if (!Number.isSafeInteger(n) && BigInt(digits) > 0xffffffffffffffffn) return [i + 1, 0, false];
  return [i + 1, n, true];
}
function stripCR(s, comment) {
  let out = "";
  for (let j = 0; j < s.length; j++) {
    const c = s[j];
    if (c !== "\r" || comment && out.length > 2 && out[out.length - 1] === "*" && j + 1 < s.length && s[j + 1] === "/") {
      out += c;
    }
  }
  return out;
}

// src/syntax/constraint.ts
var ConstraintError = class extends Error {
  offset;
  reason;
  constructor(reason, offset) {
    super(offset >= 0 ? `${reason} (at offset ${offset})` : reason);
    this.name = "ConstraintError";
    this.reason = reason;
    this.offset = offset;
  }
};
var MAX_SIZE = 1e3;
var MAX_OLD_SIZE = 100;
var SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
function goTrimSpace(s) {
  let i = 0;
  let j = s.length;
  while (i < j && SPACE.test(s[i])) i++;
  while (j > i && SPACE.test(s[j - 1])) j--;
  return s.slice(i, j);
}
var TAG_CHAR = /[\p{L}\p{Nd}_.]/u;
function isValidTag(word) {
  if (word === "") return false;
  for (const c of word) if (!TAG_CHAR.test(c)) return false;
  return true;
}
function lineBody(line) {
  if (line.endsWith("\n")) line = line.slice(0, -1);
  return line.includes("\n") ? null : line;
}
function splitGoBuild(line) {
  const body = lineBody(line);
  if (body === null || !body.startsWith("//go:build")) return null;
  const rest = goTrimSpace(body).slice("//go:build".length);
  const trimmed = goTrimSpace(rest);
  if (rest.length === trimmed.length && rest !== "") return null;
  return trimmed;
}
function splitPlusBuild(line) {
  const body = lineBody(line);
  if (body === null || !body.startsWith("//")) return null;
  const t = goTrimSpace(body.slice(2));
  if (!t.startsWith("+build")) return null;
  const rest = t.slice("+build".length);
  const trimmed = goTrimSpace(rest);
  if (rest.length === trimmed.length && rest !== "") return null;
  return trimmed;
}
function isPlusBuild(line) {
  return splitPlusBuild(line) !== null;
}
function parseConstraint(line) {
  const goBuild = splitGoBuild(line);
  if (goBuild !== null) return parseExpr(goBuild);
  const plus = splitPlusBuild(line);
  if (plus !== null) return parsePlusBuildExpr(plus);
  throw new ConstraintError("not a build constraint", -1);
}
function parseExpr(text) {
  let i = 0;
  let pos2 = 0;
  let tok = "";
  let isTag = false;
  let size = 0;
  const lex = () => {
    isTag = false;
    while (i < text.length && (text[i] === " " || text[i] === "	")) i++;
    if (i >= text.length) {
      tok = "";
      pos2 = i;
      return;
    }
    const c = text[i];
    if (c === "(" || c === ")" || c === "!") {
      pos2 = i++;
      tok = c;
      return;
    }
    if (c === "&" || c === "|") {
      if (text[i + 1] !== c) throw new ConstraintError(`invalid syntax at ${c}`, i);
      pos2 = i;
      i += 2;
      tok = c + c;
      return;
    }
    let j = i;
    while (j < text.length) {
      const cp = text.codePointAt(j);
      const ch = String.fromCodePoint(cp);
      if (!TAG_CHAR.test(ch)) break;
      j += ch.length;
    }
    if (j === i) throw new ConstraintError(`invalid syntax at ${String.fromCodePoint(text.codePointAt(i))}`, i);
    pos2 = i;
    tok = text.slice(i, j);
    i = j;
    isTag = true;
  };
  const or = () => {
    let x2 = and();
    while (tok === "||") x2 = { op: "or", x: x2, y: and() };
    return x2;
  };
  const and = () => {
    let x2 = not();
    while (tok === "&&") x2 = { op: "and", x: x2, y: not() };
    return x2;
  };
  const not = () => {
    if (++size > MAX_SIZE) throw new ConstraintError("build expression too large", pos2);
    lex();
    if (tok === "!") {
      lex();
      if (tok === "!") throw new ConstraintError("double negation not allowed", pos2);
      return { op: "not", x: atom() };
    }
    return atom();
  };
  const atom = () => {
    if (tok === "(") {
      const open = pos2;
      let x2;
      try {
        x2 = or();
      } catch (e) {
        if (e instanceof ConstraintError && e.reason === "unexpected end of expression") {
          throw new ConstraintError("missing close paren", e.offset);
        }
        throw e;
      }
      if (tok !== ")") throw new ConstraintError("missing close paren", open);
      lex();
      return x2;
    }
    if (!isTag) {
      if (tok === "") throw new ConstraintError("unexpected end of expression", pos2);
      throw new ConstraintError(`unexpected token ${tok}`, pos2);
    }
    const t = tok;
    lex();
    return { op: "tag", tag: t };
  };
  const x = or();
  if (tok !== "") throw new ConstraintError(`unexpected token ${tok}`, pos2);
  return x;
}
function parsePlusBuildExpr(text) {
  let size = 0;
  let x = null;
  for (const clause of text.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/)) {
    if (clause === "") continue;
    let y = null;
    for (let lit of clause.split(",")) {
      let z;
      if (lit.startsWith("!!") || lit === "!") {
        z = { op: "tag", tag: "ignore" };
      } else {
        const neg = lit.startsWith("!");
        if (neg) lit = lit.slice(1);
        z = { op: "tag", tag: isValidTag(lit) ? lit : "ignore" };
        if (neg) z = { op: "not", x: z };
      }
      if (y === null) y = z;
      else {
        if (++size > MAX_OLD_SIZE) throw new ConstraintError("expression too complex", -1);
        y = { op: "and", x: y, y: z };
      }
    }
    if (y === null) continue;
    if (x === null) x = y;
    else {
      if (++size > MAX_OLD_SIZE) throw new ConstraintError("expression too complex", -1);
      x = { op: "or", x, y };
    }
  }
  return x ?? { op: "tag", tag: "ignore" };
}
function evalConstraint(x, ok) {
  switch (x.op) {
    case "tag":
      return ok(x.tag);
    case "not":
      return !evalConstraint(x.x, ok);
    case "and":
      return evalConstraint(x.x, ok) && evalConstraint(x.y, ok);
    case "or":
      return evalConstraint(x.x, ok) || evalConstraint(x.y, ok);
  }
}
function formatConstraint(x) {
  const arg = (e, parent) => {
    const s = formatConstraint(e);
    return e.op === "or" && parent === "and" || e.op === "and" && parent === "or" ? `(${s})` : s;
  };
  switch (x.op) {
    case "tag":
      return x.tag;
    case "not": {
      const s = formatConstraint(x.x);
      return x.x.op === "and" || x.x.op === "or" ? `!(${s})` : `!${s}`;
    }
    case "and":
      return `${arg(x.x, "and")} && ${arg(x.y, "and")}`;
    case "or":
      return `${arg(x.x, "or")} || ${arg(x.y, "or")}`;
  }
}
function constraintGoVersion(x) {
  const v = minVersion(x, 1);
  if (v < 0) return "";
  return v === 0 ? "go1" : `go1.${v}`;
}
function minVersion(z, sign) {
  switch (z.op) {
    case "and": {
      const a = minVersion(z.x, sign);
      const b = minVersion(z.y, sign);
      return sign < 0 ? Math.min(a, b) : Math.max(a, b);
    }
    case "or": {
      const a = minVersion(z.x, sign);
      const b = minVersion(z.y, sign);
      return sign < 0 ? Math.max(a, b) : Math.min(a, b);
    }
    case "not":
      return minVersion(z.x, -sign);
    case "tag": {
      if (sign < 0) return -1;
      if (z.tag === "go1") return 0;
      const k = z.tag.indexOf("go1.");
      if (k < 0) return -1;
      const m = /^[+-]?\d+$/.exec(z.tag.slice(k + 4));
      if (!m) return -1;
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : -1;
    }
  }
}
var utf8 = new TextDecoder("utf-8");
function trimBytes(b, s, e) {
  while (s < e && (b[s] === 32 || b[s] >= 9 && b[s] <= 13)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] >= 9 && b[e - 1] <= 13)) e--;
  return [s, e];
}
function startsWithAt(b, s, e, lit) {
  if (e - s < lit.length) return false;
  for (let k = 0; k < lit.length; k++) if (b[s + k] !== lit.charCodeAt(k)) return false;
  return true;
}
function indexOfPair(b, s, e, c1, c2) {
  for (let k = s; k + 1 < e; k++) if (b[k] === c1 && b[k + 1] === c2) return k;
  return -1;
}
function readFileHeader(content) {
  const b = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const out = { goBuild: null, goBuildLine: 0, plusBuild: [], error: null, binaryOnly: false };
  let end2 = 0;
  let ended = false;
  let inSlashStar = false;
  let p = 0;
  let lineNo = 0;
  lines: while (p < b.length) {
    lineNo++;
    let nl = b.indexOf(10, p);
    const lineEnd = nl < 0 ? b.length : nl;
    const next = nl < 0 ? b.length : nl + 1;
    let [s, e] = trimBytes(b, p, lineEnd);
    p = next;
    if (s === e && !ended) {
      end2 = p;
      continue;
    }
    if (!startsWithAt(b, s, e, "//")) ended = true;
    if (!inSlashStar && startsWithAt(b, s, e, "//go:build")) {
      const line = goTrimSpace(utf8.decode(b.subarray(s, e)));
      if (splitGoBuild(line) !== null) {
        if (out.goBuild !== null) {
          out.error = `multiple //go:build comments (lines ${out.goBuildLine} and ${lineNo})`;
          return out;
        }
        out.goBuild = line;
        out.goBuildLine = lineNo;
      }
    }
    if (!inSlashStar && e - s === 25 && startsWithAt(b, s, e, "//go:binary-only-package")) out.binaryOnly = true;
    while (s < e) {
      if (inSlashStar) {
        const k = indexOfPair(b, s, e, 42, 47);
        if (k >= 0) {
          inSlashStar = false;
          [s, e] = trimBytes(b, k + 2, e);
          continue;
        }
        continue lines;
      }
      if (startsWithAt(b, s, e, "//")) continue lines;
      if (startsWithAt(b, s, e, "/*")) {
        inSlashStar = true;
        [s, e] = trimBytes(b, s + 2, e);
        continue;
      }
      break lines;
    }
  }
  if (out.goBuild === null) {
    let q = 0;
    while (q < end2) {
      const nl = b.indexOf(10, q);
      const lineEnd = nl < 0 || nl > end2 ? end2 : nl;
      const [s, e] = trimBytes(b, q, lineEnd);
      q = nl < 0 ? end2 : nl + 1;
      if (!startsWithAt(b, s, e, "//")) continue;
      if (indexOfPair(b, s, e, 43, 98) < 0) continue;
      const line = goTrimSpace(utf8.decode(b.subarray(s, e)));
      if (isPlusBuild(line)) out.plusBuild.push(line);
    }
  }
  return out;
}
var UNIX_OS = /* @__PURE__ */ new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "hurd",
  "illumos",
  "ios",
  "linux",
  "netbsd",
  "openbsd",
  "solaris"
]);
var KNOWN_OS = /* @__PURE__ */ new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "hurd",
  "illumos",
  "ios",
  "js",
  "linux",
  "nacl",
  "netbsd",
  "openbsd",
  "plan9",
  "solaris",
  "wasip1",
  "windows",
  "zos"
]);
var KNOWN_ARCH = /* @__PURE__ */ new Set([
  "386",
  "amd64",
  "amd64p32",
  "arm",
  "armbe",
  "arm64",
  "arm64be",
  "loong64",
  "mips",
  "mipsle",
  "mips64",
  "mips64le",
  "mips64p32",
  "mips64p32le",
  "ppc",
  "ppc64",
  "ppc64le",
  "riscv",
  "riscv64",
  "s390",
  "s390x",
  "sparc",
  "sparc64",
  "wasm"
]);
function releaseTagsFor(goVersion) {
  const m = /^(?:go)?1\.(\d+)/.exec(goVersion);
  const minor = m ? Number(m[1]) : 0;
  const tags = [];
  for (let k = 1; k <= minor; k++) tags.push(`go1.${k}`);
  return tags;
}
function matchTag(ctx, name) {
  if (ctx.cgoEnabled && name === "cgo") return true;
  if (name === ctx.goos || name === ctx.goarch || name === ctx.compiler) return true;
  if (ctx.goos === "android" && name === "linux") return true;
  if (ctx.goos === "illumos" && name === "solaris") return true;
  if (ctx.goos === "ios" && name === "darwin") return true;
  if (name === "unix" && UNIX_OS.has(ctx.goos)) return true;
  if (name === "boringcrypto") name = "goexperiment.boringcrypto";
  return ctx.buildTags.includes(name) || ctx.toolTags.includes(name) || ctx.releaseTags.includes(name);
}
function evalInContext(x, ctx) {
  return evalConstraint(x, (t) => matchTag(ctx, t));
}
function headerAllows(header, ctx) {
  if (header.error) return { ok: false, reason: header.error, expr: null, goVersion: "", error: header.error };
  if (header.goBuild !== null) {
    let x;
    try {
      x = parseConstraint(header.goBuild);
    } catch (e) {
      const msg = `line ${header.goBuildLine}: parsing //go:build line: ${e.message}`;
      return { ok: false, reason: msg, expr: null, goVersion: "", error: msg };
    }
    const ok = evalInContext(x, ctx);
    return {
      ok,
      reason: ok ? "" : `//go:build ${formatConstraint(x)} is not satisfied`,
      expr: x,
      goVersion: constraintGoVersion(x),
      error: null
    };
  }
  for (const line of header.plusBuild) {
    let x;
    try {
      x = parseConstraint(line);
    } catch {
      continue;
    }
    if (!evalInContext(x, ctx)) return { ok: false, reason: `${line} is not satisfied`, expr: null, goVersion: "", error: null };
  }
  return { ok: true, reason: "", expr: null, goVersion: "", error: null };
}
function fileNameMismatch(name, ctx) {
  const dot = name.indexOf(".");
  if (dot >= 0) name = name.slice(0, dot);
  const u = name.indexOf("_");
  if (u < 0) return null;
  const l = name.slice(u).split("_");
  if (l.length > 0 && l[l.length - 1] === "test") l.pop();
  const n = l.length;
  if (n >= 2 && KNOWN_OS.has(l[n - 2]) && KNOWN_ARCH.has(l[n - 1])) {
    return matchTag(ctx, l[n - 1]) && matchTag(ctx, l[n - 2]) ? null : `_${l[n - 2]}_${l[n - 1]}`;
  }
  if (n >= 1 && (KNOWN_OS.has(l[n - 1]) || KNOWN_ARCH.has(l[n - 1]))) {
    return matchTag(ctx, l[n - 1]) ? null : `_${l[n - 1]}`;
  }
  return null;
}

// src/syntax/parser.ts
var DEFAULT_MAX_NESTING = 1e3;
var Bailout = class {
  constructor(offset, message) {
    this.offset = offset;
    this.message = message;
  }
  offset;
  message;
};
var BASIC = 0;
var LABEL_OK = 1;
var RANGE_OK = 2;
var stmtStart = /* @__PURE__ */ new Set([
  BREAK,
  CONST,
  CONTINUE,
  DEFER,
  FALLTHROUGH,
  FOR,
  GO,
  GOTO,
  IF,
  RETURN,
  SELECT,
  SWITCH,
  TYPE,
  VAR
]);
var declStart = /* @__PURE__ */ new Set([IMPORT, CONST, TYPE, VAR]);
var exprEnd = /* @__PURE__ */ new Set([COMMA, COLON, SEMICOLON, RPAREN, RBRACK, RBRACE]);
function ident(namePos, name) {
  return { kind: "Ident", namePos, name };
}
function badExpr(from, to) {
  return { kind: "BadExpr", from, to };
}
function packIndexExpr(x, lbrack, exprs, rbrack) {
  if (exprs.length === 1) return { kind: "IndexExpr", x, lbrack, index: exprs[0], rbrack };
  return { kind: "IndexListExpr", x, lbrack, indices: exprs, rbrack };
}
function isTypeElem(x) {
  switch (x.kind) {
    case "ArrayType":
    case "StructType":
    case "FuncType":
    case "InterfaceType":
    case "MapType":
    case "ChanType":
      return true;
    case "BinaryExpr":
      return isTypeElem(x.x) || isTypeElem(x.y);
    case "UnaryExpr":
      return x.op === "~";
    case "ParenExpr":
      return isTypeElem(x.x);
  }
  return false;
}
function extractName(x, force) {
  switch (x.kind) {
    case "Ident":
      return [x, null];
    case "BinaryExpr":
      if (x.op === "*") {
        if (x.x.kind === "Ident" && (force || isTypeElem(x.y))) {
          return [x.x, { kind: "StarExpr", star: x.opPos, x: x.y }];
        }
      } else if (x.op === "|") {
        const [name, lhs] = extractName(x.x, force || isTypeElem(x.y));
        if (name && lhs) {
          return [name, { kind: "BinaryExpr", x: lhs, opPos: x.opPos, op: x.op, y: x.y }];
        }
      }
      break;
    case "CallExpr":
      if (x.fun.kind === "Ident") {
        if (x.args && x.args.length === 1 && x.ellipsis === NOPOS && (force || isTypeElem(x.args[0]))) {
          return [x.fun, { kind: "ParenExpr", lparen: x.lparen, x: x.args[0], rparen: x.rparen }];
        }
      }
      break;
  }
  return [null, x];
}
function isTypeSwitchAssert(x) {
  return x.kind === "TypeAssertExpr" && x.type === null;
}
var Parser = class {
  sc;
  source;
  errors = [];
  maxNest;
  // comments
  comments = [];
  leadComment = null;
  lineComment = null;
  top = true;
  goVersion = "";
  // next token
  pos = NOPOS;
  tok = ILLEGAL;
  lit = "";
  stringEnd = 0;
  // error recovery
  syncPos = 0;
  syncCnt = 0;
  exprLev = 0;
  inRhs = false;
  imports = [];
  nestLev = 0;
  // partial results survive a bailout
  decls = [];
  constructor(sc, source, maxNest, skipComments = false) {
    this.sc = sc;
    this.source = source;
    this.maxNest = maxNest;
    this.skipComments = skipComments;
    this.next();
  }
  // ---- errors ----
  lineOf(offset) {
    const ls = this.source.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  lineFor(p) {
    return p < 0 ? 0 : this.lineOf(p);
  }
  allErrorCount() {
    return this.errors.length + this.sc.errors.length;
  }
  error(offset, message) {
    const n = this.errors.length;
    if (n > 0 && this.lineFor(this.errors[n - 1].offset) === this.lineFor(offset)) return;
    if (this.allErrorCount() > 10) throw new Bailout(-1, "");
    this.errors.push({ offset, message });
  }
  errorExpected(p, msg) {
    msg = "expected " + msg;
    if (p === this.pos) {
      if (this.tok === SEMICOLON && this.lit === "\n") msg += ", found newline";
      else if (isLiteral(this.tok)) msg += ", found " + this.lit;
      else msg += ", found '" + tokenString[this.tok] + "'";
    }
    this.error(p, msg);
  }
  incNest() {
    if (++this.nestLev > this.maxNest) {
      this.error(this.pos, "exceeded max nesting depth");
      throw new Bailout(this.pos, "exceeded max nesting depth");
    }
  }
  // ---- tokens and comments ----
  next0() {
    const sc = this.sc;
    for (; ; ) {
      sc.scan();
      this.pos = sc.pos;
      this.tok = sc.tok;
      this.lit = sc.lit;
      if (sc.tok === COMMENT) {
        if (this.top && this.lit.startsWith("//go:build")) {
          try {
            this.goVersion = constraintGoVersion(parseConstraint(this.lit));
          } catch {
          }
        }
        if (this.skipComments) continue;
      } else {
        if (sc.tok === STRING) this.stringEnd = sc.stringEnd;
        this.top = false;
      }
      return;
    }
  }
  /** The last line of the comment or comment group consumed last. */
  endline = 0;
  consumeComment() {
    let endline = this.lineFor(this.pos);
    const lit = this.lit;
    if (lit.charCodeAt(1) === 42) {
      for (let i = 0; i < lit.length; i++) if (lit.charCodeAt(i) === 10) endline++;
    }
    const comment = { kind: "Comment", slash: this.pos, text: lit };
    this.next0();
    this.endline = endline;
    return comment;
  }
  consumeCommentGroup(n) {
    const list = [];
    let endline = this.lineFor(this.pos);
    while (this.tok === COMMENT && this.lineFor(this.pos) <= endline + n) {
      list.push(this.consumeComment());
      endline = this.endline;
    }
    const g = { kind: "CommentGroup", list };
    this.comments.push(g);
    this.endline = endline;
    return g;
  }
  next() {
    this.leadComment = null;
    this.lineComment = null;
    const prev = this.pos;
    this.next0();
    if (this.tok === COMMENT) {
      let comment = null;
      let endline;
      if (this.lineFor(this.pos) === this.lineFor(prev)) {
        comment = this.consumeCommentGroup(0);
        endline = this.endline;
        if (this.lineFor(this.pos) !== endline || this.tok === SEMICOLON || this.tok === EOF) {
          this.lineComment = comment;
        }
      }
      endline = -1;
      while (this.tok === COMMENT) {
        comment = this.consumeCommentGroup(1);
        endline = this.endline;
      }
      if (endline + 1 === this.lineFor(this.pos)) this.leadComment = comment;
    }
  }
  expect(tok) {
    const p = this.pos;
    if (this.tok !== tok) this.errorExpected(p, "'" + tokenString[tok] + "'");
    this.next();
    return p;
  }
  expect2(tok) {
    let p = NOPOS;
    if (this.tok === tok) p = this.pos;
    else this.errorExpected(this.pos, "'" + tokenString[tok] + "'");
    this.next();
    return p;
  }
  expectClosing(tok, context) {
    if (this.tok !== tok && this.tok === SEMICOLON && this.lit === "\n") {
      this.error(this.pos, "missing ',' before newline in " + context);
      this.next();
    }
    return this.expect(tok);
  }
  expectSemi() {
    switch (this.tok) {
      case RPAREN:
      case RBRACE:
        return null;
      case COMMA:
      case SEMICOLON: {
        if (this.tok === COMMA) this.errorExpected(this.pos, "';'");
        let comment;
        if (this.tok === SEMICOLON && this.lit === ";") {
          this.next();
          comment = this.lineComment;
        } else {
          comment = this.lineComment;
          this.next();
        }
        return comment;
      }
      default:
        this.errorExpected(this.pos, "';'");
        this.advance(stmtStart);
        return null;
    }
  }
  atComma(context, follow) {
    if (this.tok === COMMA) return true;
    if (this.tok !== follow) {
      let msg = "missing ','";
      if (this.tok === SEMICOLON && this.lit === "\n") msg += " before newline";
      this.error(this.pos, msg + " in " + context);
      return true;
    }
    return false;
  }
  advance(to) {
    for (; this.tok !== EOF; this.next()) {
      if (to.has(this.tok)) {
        if (this.pos === this.syncPos && this.syncCnt < 10) {
          this.syncCnt++;
          return;
        }
        if (this.pos > this.syncPos) {
          this.syncPos = this.pos;
          this.syncCnt = 0;
          return;
        }
      }
    }
  }
  // ---- identifiers and lists ----
  parseIdent() {
    const p = this.pos;
    let name = "_";
    if (this.tok === IDENT) {
      name = this.lit;
      this.next();
    } else {
      this.expect(IDENT);
    }
    return ident(p, name);
  }
  parseIdentList() {
    const list = [this.parseIdent()];
    while (this.tok === COMMA) {
      this.next();
      list.push(this.parseIdent());
    }
    return list;
  }
  parseExprList() {
    const list = [this.parseExpr()];
    while (this.tok === COMMA) {
      this.next();
      list.push(this.parseExpr());
    }
    return list;
  }
  parseList(inRhs) {
    const old = this.inRhs;
    this.inRhs = inRhs;
    const list = this.parseExprList();
    this.inRhs = old;
    return list;
  }
  // ---- types ----
  parseType() {
    const typ = this.tryIdentOrType();
    if (typ === null) {
      const p = this.pos;
      this.errorExpected(p, "type");
      this.advance(exprEnd);
      return badExpr(p, this.pos);
    }
    return typ;
  }
  parseQualifiedIdent(id) {
    let typ = this.parseTypeName(id);
    if (this.tok === LBRACK) typ = this.parseTypeInstance(typ);
    return typ;
  }
  parseTypeName(id) {
    if (id === null) id = this.parseIdent();
    if (this.tok === PERIOD) {
      this.next();
      const sel = this.parseIdent();
      return { kind: "SelectorExpr", x: id, sel };
    }
    return id;
  }
  parseArrayType(lbrack, len) {
    if (len === null) {
      this.exprLev++;
      if (this.tok === ELLIPSIS) {
        len = { kind: "Ellipsis", ellipsis: this.pos, elt: null };
        this.next();
      } else if (this.tok !== RBRACK) {
        len = this.parseRhs();
      }
      this.exprLev--;
    }
    if (this.tok === COMMA) {
      this.error(this.pos, "unexpected comma; expecting ]");
      this.next();
    }
    this.expect(RBRACK);
    const elt = this.parseType();
    return { kind: "ArrayType", lbrack, len, elt };
  }
  parseArrayFieldOrTypeInstance(x) {
    const lbrack = this.expect(LBRACK);
    let trailingComma = NOPOS;
    const args = [];
    if (this.tok !== RBRACK) {
      this.exprLev++;
      args.push(this.parseRhs());
      while (this.tok === COMMA) {
        const comma = this.pos;
        this.next();
        if (this.tok === RBRACK) {
          trailingComma = comma;
          break;
        }
        args.push(this.parseRhs());
      }
      this.exprLev--;
    }
    const rbrack = this.expect(RBRACK);
    if (args.length === 0) {
      const elt = this.parseType();
      return [x, { kind: "ArrayType", lbrack, len: null, elt }];
    }
    if (args.length === 1) {
      const elt = this.tryIdentOrType();
      if (elt !== null) {
        if (trailingComma !== NOPOS) this.error(trailingComma, "unexpected comma; expecting ]");
        return [x, { kind: "ArrayType", lbrack, len: args[0], elt }];
      }
    }
    return [null, packIndexExpr(x, lbrack, args, rbrack)];
  }
  parseFieldDecl() {
    const doc = this.leadComment;
    let names = null;
    let typ;
    switch (this.tok) {
      case IDENT: {
        const name = this.parseIdent();
        if (this.tok === PERIOD || this.tok === STRING || this.tok === SEMICOLON || this.tok === RBRACE) {
          typ = name;
          if (this.tok === PERIOD) typ = this.parseQualifiedIdent(name);
        } else {
          names = [name];
          while (this.tok === COMMA) {
            this.next();
            names.push(this.parseIdent());
          }
          if (names.length === 1 && this.tok === LBRACK) {
            const [n, t] = this.parseArrayFieldOrTypeInstance(name);
            typ = t;
            if (n === null) names = null;
          } else {
            typ = this.parseType();
          }
        }
        break;
      }
      case MUL: {
        const star = this.pos;
        this.next();
        let x;
        if (this.tok === LPAREN) {
          this.error(this.pos, "cannot parenthesize embedded type");
          this.next();
          x = this.parseQualifiedIdent(null);
          if (this.tok === RPAREN) this.next();
        } else {
          x = this.parseQualifiedIdent(null);
        }
        typ = { kind: "StarExpr", star, x };
        break;
      }
      case LPAREN: {
        this.error(this.pos, "cannot parenthesize embedded type");
        this.next();
        if (this.tok === MUL) {
          const star = this.pos;
          this.next();
          typ = { kind: "StarExpr", star, x: this.parseQualifiedIdent(null) };
        } else {
          typ = this.parseQualifiedIdent(null);
        }
        if (this.tok === RPAREN) this.next();
        break;
      }
      default: {
        const p = this.pos;
        this.errorExpected(p, "field name or embedded type");
        this.advance(exprEnd);
        typ = badExpr(p, this.pos);
      }
    }
    let tag = null;
    if (this.tok === STRING) {
      tag = { kind: "BasicLit", valuePos: this.pos, valueEnd: this.stringEnd, tokKind: "STRING", value: this.lit };
      this.next();
    }
    const comment = this.expectSemi();
    return { kind: "Field", doc, names, type: typ, tag, comment };
  }
  parseStructType() {
    const p = this.expect(STRUCT);
    const lbrace = this.expect(LBRACE);
    const list = [];
    while (this.tok === IDENT || this.tok === MUL || this.tok === LPAREN) list.push(this.parseFieldDecl());
    const rbrace = this.expect(RBRACE);
    return {
      kind: "StructType",
      struct: p,
      fields: { kind: "FieldList", opening: lbrace, list: list.length ? list : null, closing: rbrace },
      incomplete: false
    };
  }
  parsePointerType() {
    const star = this.expect(MUL);
    const base = this.parseType();
    return { kind: "StarExpr", star, x: base };
  }
  parseDotsType() {
    const p = this.expect(ELLIPSIS);
    const elt = this.parseType();
    return { kind: "Ellipsis", ellipsis: p, elt };
  }
  parseParamDecl(name, typeSetsOK) {
    const f = { name: null, typ: null };
    const ptok = this.tok;
    if (name !== null) {
      this.tok = IDENT;
    } else if (typeSetsOK && this.tok === TILDE) {
      return { name: null, typ: this.embeddedElem(null) };
    }
    switch (this.tok) {
      case IDENT:
        if (name !== null) {
          f.name = name;
          this.tok = ptok;
        } else {
          f.name = this.parseIdent();
        }
        switch (this.tok) {
          case IDENT:
          case MUL:
          case ARROW:
          case FUNC:
          case CHAN:
          case MAP:
          case STRUCT:
          case INTERFACE:
          case LPAREN:
            f.typ = this.parseType();
            break;
          case LBRACK: {
            const [n, t] = this.parseArrayFieldOrTypeInstance(f.name);
            f.name = n;
            f.typ = t;
            break;
          }
          case ELLIPSIS:
            f.typ = this.parseDotsType();
            return f;
          case PERIOD:
            f.typ = this.parseQualifiedIdent(f.name);
            f.name = null;
            break;
          case TILDE:
            if (typeSetsOK) {
              f.typ = this.embeddedElem(null);
              return f;
            }
            break;
          case OR:
            if (typeSetsOK) {
              f.typ = this.embeddedElem(f.name);
              f.name = null;
              return f;
            }
            break;
        }
        break;
      case MUL:
      case ARROW:
      case FUNC:
      case LBRACK:
      case CHAN:
      case MAP:
      case STRUCT:
      case INTERFACE:
      case LPAREN:
        f.typ = this.parseType();
        break;
      case ELLIPSIS:
        f.typ = this.parseDotsType();
        return f;
      default:
        this.errorExpected(this.pos, "')'");
        this.advance(exprEnd);
    }
    if (typeSetsOK && this.tok === OR && f.typ !== null) f.typ = this.embeddedElem(f.typ);
    return f;
  }
  parseParameterList(name0, typ0, closing, dddok) {
    const tparams = closing === RBRACK;
    let pos0 = this.pos;
    if (name0 !== null) pos0 = name0.namePos;
    else if (typ0 !== null) pos0 = pos(typ0);
    const list = [];
    let named = 0;
    let typed = 0;
    while (name0 !== null || this.tok !== closing && this.tok !== EOF) {
      let par;
      if (typ0 !== null) {
        if (tparams) typ0 = this.embeddedElem(typ0);
        par = { name: name0, typ: typ0 };
      } else {
        par = this.parseParamDecl(name0, tparams);
      }
      name0 = null;
      typ0 = null;
      if (par.name !== null || par.typ !== null) {
        list.push(par);
        if (par.name !== null && par.typ !== null) named++;
        if (par.typ !== null) typed++;
      }
      if (!this.atComma("parameter list", closing)) break;
      this.next();
    }
    if (list.length === 0) return [];
    if (named === 0) {
      for (const par of list) {
        if (par.name !== null) {
          par.typ = par.name;
          par.name = null;
        }
      }
      if (tparams) {
        let errPos;
        let msg;
        if (named === typed) {
          errPos = this.pos;
          msg = "missing type constraint";
        } else {
          errPos = pos0;
          msg = "missing type parameter name";
          if (list.length === 1) msg += " or invalid array length";
        }
        this.error(errPos, msg);
      }
    } else if (named !== list.length) {
      let errPos = NOPOS;
      let typ2 = null;
      for (let i = 0; i < list.length; i++) {
        const par = list[list.length - i - 1];
        if (par.typ !== null) {
          typ2 = par.typ;
          if (par.name === null) {
            errPos = pos(typ2);
            par.name = ident(errPos, "_");
          }
        } else if (typ2 !== null) {
          par.typ = typ2;
        } else {
          errPos = par.name.namePos;
          par.typ = badExpr(errPos, this.pos);
        }
      }
      if (errPos !== NOPOS) {
        let msg;
        if (named === typed) {
          errPos = this.pos;
          msg = tparams ? "missing type constraint" : "missing parameter type";
        } else if (tparams) {
          msg = "missing type parameter name";
          if (list.length === 1) msg += " or invalid array length";
        } else {
          msg = "missing parameter name";
        }
        this.error(errPos, msg);
      }
    }
    let first = true;
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      const t = f.typ;
      if (t !== null && t.kind === "Ellipsis" && (!dddok || i + 1 < list.length)) {
        if (first) {
          first = false;
          this.error(t.ellipsis, dddok ? "can only use ... with final parameter" : "invalid use of ...");
        }
        f.typ = badExpr(pos(t), end(t));
      }
    }
    const params = [];
    if (named === 0) {
      for (const par of list) params.push({ kind: "Field", doc: null, names: null, type: par.typ, tag: null, comment: null });
      return params;
    }
    let names = [];
    let typ = null;
    const addParams = () => {
      params.push({ kind: "Field", doc: null, names, type: typ, tag: null, comment: null });
      names = [];
    };
    for (const par of list) {
      if (par.typ !== typ) {
        if (names.length > 0) addParams();
        typ = par.typ;
      }
      names.push(par.name);
    }
    if (names.length > 0) addParams();
    return params;
  }
  parseTypeParameters() {
    const lbrack = this.expect(LBRACK);
    let list = [];
    if (this.tok !== RBRACK) list = this.parseParameterList(null, null, RBRACK, false);
    const rbrack = this.expect(RBRACK);
    if (list.length === 0) {
      this.error(rbrack, "empty type parameter list");
      return null;
    }
    return { kind: "FieldList", opening: lbrack, list, closing: rbrack };
  }
  parseParameters(result) {
    if (!result || this.tok === LPAREN) {
      const lparen = this.expect(LPAREN);
      let list = [];
      if (this.tok !== RPAREN) list = this.parseParameterList(null, null, RPAREN, !result);
      const rparen = this.expect(RPAREN);
      return { kind: "FieldList", opening: lparen, list: list.length ? list : null, closing: rparen };
    }
    const typ = this.tryIdentOrType();
    if (typ !== null) {
      return {
        kind: "FieldList",
        opening: NOPOS,
        list: [{ kind: "Field", doc: null, names: null, type: typ, tag: null, comment: null }],
        closing: NOPOS
      };
    }
    return null;
  }
  parseFuncType() {
    const p = this.expect(FUNC);
    if (this.tok === LBRACK) {
      const tparams = this.parseTypeParameters();
      if (tparams !== null) this.error(tparams.opening, "function type must have no type parameters");
    }
    const params = this.parseParameters(false);
    const results = this.parseParameters(true);
    return { kind: "FuncType", func: p, typeParams: null, params, results };
  }
  parseMethodSpec() {
    const doc = this.leadComment;
    let idents = null;
    let typ;
    const x = this.parseTypeName(null);
    if (x.kind === "Ident") {
      const id = x;
      if (this.tok === LBRACK) {
        const lbrack = this.pos;
        this.next();
        this.exprLev++;
        const x2 = this.parseExpr();
        this.exprLev--;
        if (x2.kind === "Ident" && this.tok !== COMMA && this.tok !== RBRACK) {
          this.parseParameterList(x2, null, RBRACK, false);
          this.expect(RBRACK);
          this.error(lbrack, "interface method must have no type parameters");
          const params = this.parseParameters(false);
          const results = this.parseParameters(true);
          idents = [id];
          typ = { kind: "FuncType", func: NOPOS, typeParams: null, params, results };
        } else {
          const list = [x2];
          if (this.atComma("type argument list", RBRACK)) {
            this.exprLev++;
            this.next();
            while (this.tok !== RBRACK && this.tok !== EOF) {
              list.push(this.parseType());
              if (!this.atComma("type argument list", RBRACK)) break;
              this.next();
            }
            this.exprLev--;
          }
          const rbrack = this.expectClosing(RBRACK, "type argument list");
          typ = packIndexExpr(id, lbrack, list, rbrack);
        }
      } else if (this.tok === LPAREN) {
        const params = this.parseParameters(false);
        const results = this.parseParameters(true);
        idents = [id];
        typ = { kind: "FuncType", func: NOPOS, typeParams: null, params, results };
      } else {
        typ = x;
      }
    } else {
      typ = x;
      if (this.tok === LBRACK) typ = this.parseTypeInstance(typ);
    }
    return { kind: "Field", doc, names: idents, type: typ, tag: null, comment: null };
  }
  embeddedElem(x) {
    if (x === null) x = this.embeddedTerm();
    while (this.tok === OR) {
      const opPos = this.pos;
      this.next();
      const y = this.embeddedTerm();
      x = { kind: "BinaryExpr", x, opPos, op: "|", y };
    }
    return x;
  }
  embeddedTerm() {
    if (this.tok === TILDE) {
      const opPos = this.pos;
      this.next();
      const x = this.parseType();
      return { kind: "UnaryExpr", opPos, op: "~", x };
    }
    const t = this.tryIdentOrType();
    if (t === null) {
      const p = this.pos;
      this.errorExpected(p, "~ term or type");
      this.advance(exprEnd);
      return badExpr(p, this.pos);
    }
    return t;
  }
  parseInterfaceType() {
    const p = this.expect(INTERFACE);
    const lbrace = this.expect(LBRACE);
    const list = [];
    for (; ; ) {
      if (this.tok === IDENT) {
        const f = this.parseMethodSpec();
        if (f.names === null) f.type = this.embeddedElem(f.type);
        f.comment = this.expectSemi();
        list.push(f);
      } else if (this.tok === TILDE) {
        const typ = this.embeddedElem(null);
        const comment = this.expectSemi();
        list.push({ kind: "Field", doc: null, names: null, type: typ, tag: null, comment });
      } else {
        const t = this.tryIdentOrType();
        if (t !== null) {
          const typ = this.embeddedElem(t);
          const comment = this.expectSemi();
          list.push({ kind: "Field", doc: null, names: null, type: typ, tag: null, comment });
        } else {
          break;
        }
      }
    }
    const rbrace = this.expect(RBRACE);
    return {
      kind: "InterfaceType",
      interface: p,
      methods: { kind: "FieldList", opening: lbrace, list: list.length ? list : null, closing: rbrace },
      incomplete: false
    };
  }
  parseMapType() {
    const p = this.expect(MAP);
    this.expect(LBRACK);
    const key = this.parseType();
    this.expect(RBRACK);
    const value = this.parseType();
    return { kind: "MapType", map: p, key, value };
  }
  parseChanType() {
    const p = this.pos;
    let dir = 3;
    let arrow = NOPOS;
    if (this.tok === CHAN) {
      this.next();
      if (this.tok === ARROW) {
        arrow = this.pos;
        this.next();
        dir = SEND;
      }
    } else {
      arrow = this.expect(ARROW);
      this.expect(CHAN);
      dir = RECV;
    }
    const value = this.parseType();
    return { kind: "ChanType", begin: p, arrow, dir, value };
  }
  parseTypeInstance(typ) {
    const opening = this.expect(LBRACK);
    this.exprLev++;
    const list = [];
    while (this.tok !== RBRACK && this.tok !== EOF) {
      list.push(this.parseType());
      if (!this.atComma("type argument list", RBRACK)) break;
      this.next();
    }
    this.exprLev--;
    const closing = this.expectClosing(RBRACK, "type argument list");
    if (list.length === 0) {
      this.errorExpected(closing, "type argument list");
      return { kind: "IndexExpr", x: typ, lbrack: opening, index: badExpr(opening + 1, closing), rbrack: closing };
    }
    return packIndexExpr(typ, opening, list, closing);
  }
  tryIdentOrType() {
    this.incNest();
    try {
      switch (this.tok) {
        case IDENT: {
          let typ = this.parseTypeName(null);
          if (this.tok === LBRACK) typ = this.parseTypeInstance(typ);
          return typ;
        }
        case LBRACK: {
          const lbrack = this.expect(LBRACK);
          return this.parseArrayType(lbrack, null);
        }
        case STRUCT:
          return this.parseStructType();
        case MUL:
          return this.parsePointerType();
        case FUNC:
          return this.parseFuncType();
        case INTERFACE:
          return this.parseInterfaceType();
        case MAP:
          return this.parseMapType();
        case CHAN:
        case ARROW:
          return this.parseChanType();
        case LPAREN: {
          const lparen = this.pos;
          this.next();
          const typ = this.parseType();
          const rparen = this.expect(RPAREN);
          return { kind: "ParenExpr", lparen, x: typ, rparen };
        }
      }
      return null;
    } finally {
      this.nestLev--;
    }
  }
  // ---- blocks ----
  parseStmtList() {
    const list = [];
    while (this.tok !== CASE && this.tok !== DEFAULT && this.tok !== RBRACE && this.tok !== EOF) {
      list.push(this.parseStmt());
    }
    return list;
  }
  parseBody() {
    const lbrace = this.expect(LBRACE);
    const list = this.parseStmtList();
    const rbrace = this.expect2(RBRACE);
    return { kind: "BlockStmt", lbrace, list: list.length ? list : null, rbrace };
  }
  parseBlockStmt() {
    return this.parseBody();
  }
  // ---- expressions ----
  parseFuncTypeOrLit() {
    const typ = this.parseFuncType();
    if (this.tok !== LBRACE) return typ;
    if (this.skipBodies) return { kind: "FuncLit", type: typ, body: this.skipBody() };
    this.exprLev++;
    const body = this.parseBody();
    this.exprLev--;
    return { kind: "FuncLit", type: typ, body };
  }
  parseOperand() {
    switch (this.tok) {
      case IDENT:
        return this.parseIdent();
      case INT:
      case FLOAT:
      case IMAG:
      case CHAR:
      case STRING: {
        const tok = this.tok;
        const end2 = tok === STRING ? this.stringEnd : this.pos + utf8Len(this.lit);
        const x = { kind: "BasicLit", valuePos: this.pos, valueEnd: end2, tokKind: tokenString[tok], value: this.lit };
        this.next();
        return x;
      }
      case LPAREN: {
        const lparen = this.pos;
        this.next();
        this.exprLev++;
        const x = this.parseRhs();
        this.exprLev--;
        const rparen = this.expect(RPAREN);
        return { kind: "ParenExpr", lparen, x, rparen };
      }
      case FUNC:
        return this.parseFuncTypeOrLit();
    }
    const typ = this.tryIdentOrType();
    if (typ !== null) return typ;
    const p = this.pos;
    this.errorExpected(p, "operand");
    this.advance(stmtStart);
    return badExpr(p, this.pos);
  }
  parseSelector(x) {
    const sel = this.parseIdent();
    return { kind: "SelectorExpr", x, sel };
  }
  parseTypeAssertion(x) {
    const lparen = this.expect(LPAREN);
    let typ = null;
    if (this.tok === TYPE) this.next();
    else typ = this.parseType();
    const rparen = this.expect(RPAREN);
    return { kind: "TypeAssertExpr", x, lparen, type: typ, rparen };
  }
  parseIndexOrSliceOrInstance(x) {
    const lbrack = this.expect(LBRACK);
    if (this.tok === RBRACK) {
      this.errorExpected(this.pos, "operand");
      const rbrack2 = this.pos;
      this.next();
      return { kind: "IndexExpr", x, lbrack, index: badExpr(rbrack2, rbrack2), rbrack: rbrack2 };
    }
    this.exprLev++;
    const args = [];
    const index = [null, null, null];
    const colons = [NOPOS, NOPOS];
    if (this.tok !== COLON) index[0] = this.parseRhs();
    let ncolons = 0;
    if (this.tok === COLON) {
      while (this.tok === COLON && ncolons < 2) {
        colons[ncolons] = this.pos;
        ncolons++;
        this.next();
        if (this.tok !== COLON && this.tok !== RBRACK && this.tok !== EOF) index[ncolons] = this.parseRhs();
      }
    } else if (this.tok === COMMA) {
      args.push(index[0]);
      while (this.tok === COMMA) {
        this.next();
        if (this.tok !== RBRACK && this.tok !== EOF) args.push(this.parseType());
      }
    }
    this.exprLev--;
    const rbrack = this.expect(RBRACK);
    if (ncolons > 0) {
      let slice3 = false;
      if (ncolons === 2) {
        slice3 = true;
        if (index[1] === null) {
          this.error(colons[0], "middle index required in 3-index slice");
          index[1] = badExpr(colons[0] + 1, colons[1]);
        }
        if (index[2] === null) {
          this.error(colons[1], "final index required in 3-index slice");
          index[2] = badExpr(colons[1] + 1, rbrack);
        }
      }
      return { kind: "SliceExpr", x, lbrack, low: index[0], high: index[1], max: index[2], slice3, rbrack };
    }
    if (args.length === 0) return { kind: "IndexExpr", x, lbrack, index: index[0], rbrack };
    return packIndexExpr(x, lbrack, args, rbrack);
  }
  parseCallOrConversion(fun) {
    const lparen = this.expect(LPAREN);
    this.exprLev++;
    const list = [];
    let ellipsis = NOPOS;
    while (this.tok !== RPAREN && this.tok !== EOF && ellipsis === NOPOS) {
      list.push(this.parseRhs());
      if (this.tok === ELLIPSIS) {
        ellipsis = this.pos;
        this.next();
      }
      if (!this.atComma("argument list", RPAREN)) break;
      this.next();
    }
    this.exprLev--;
    const rparen = this.expectClosing(RPAREN, "argument list");
    return { kind: "CallExpr", fun, lparen, args: list.length ? list : null, ellipsis, rparen };
  }
  parseValue() {
    if (this.tok === LBRACE) return this.parseLiteralValue(null);
    return this.parseExpr();
  }
  parseElement() {
    const x = this.parseValue();
    if (this.tok === COLON) {
      const colon = this.pos;
      this.next();
      return { kind: "KeyValueExpr", key: x, colon, value: this.parseValue() };
    }
    return x;
  }
  parseElementList() {
    const list = [];
    while (this.tok !== RBRACE && this.tok !== EOF) {
      list.push(this.parseElement());
      if (!this.atComma("composite literal", RBRACE)) break;
      this.next();
    }
    return list;
  }
  parseLiteralValue(typ) {
    if (this.skipBodies && typ !== null && !(typ.kind === "ArrayType" && typ.len?.kind === "Ellipsis")) {
      const b = this.skipBody();
      return { kind: "CompositeLit", type: typ, lbrace: b.lbrace, elts: null, rbrace: b.rbrace, incomplete: true };
    }
    this.incNest();
    try {
      const lbrace = this.expect(LBRACE);
      let elts = [];
      this.exprLev++;
      if (this.tok !== RBRACE) elts = this.parseElementList();
      this.exprLev--;
      const rbrace = this.expectClosing(RBRACE, "composite literal");
      return { kind: "CompositeLit", type: typ, lbrace, elts: elts.length ? elts : null, rbrace, incomplete: false };
    } finally {
      this.nestLev--;
    }
  }
  parsePrimaryExpr(x) {
    if (x === null) x = this.parseOperand();
    let n = 0;
    try {
      for (; ; ) {
        n++;
        this.incNest();
        switch (this.tok) {
          case PERIOD:
            this.next();
            if (this.tok === IDENT) {
              x = this.parseSelector(x);
            } else if (this.tok === LPAREN) {
              x = this.parseTypeAssertion(x);
            } else {
              const p = this.pos;
              this.errorExpected(p, "selector or type assertion");
              if (this.tok !== RBRACE) this.next();
              x = { kind: "SelectorExpr", x, sel: ident(p, "_") };
            }
            break;
          case LBRACK:
            x = this.parseIndexOrSliceOrInstance(x);
            break;
          case LPAREN:
            x = this.parseCallOrConversion(x);
            break;
          case LBRACE: {
            const t = unparen(x);
            switch (t.kind) {
              case "BadExpr":
              case "Ident":
              case "SelectorExpr":
                if (this.exprLev < 0) return x;
                break;
              case "IndexExpr":
              case "IndexListExpr":
                if (this.exprLev < 0) return x;
                break;
              case "ArrayType":
              case "StructType":
              case "MapType":
                break;
              default:
                return x;
            }
            if (t !== x) this.error(pos(t), "cannot parenthesize type in composite literal");
            x = this.parseLiteralValue(x);
            break;
          }
          default:
            return x;
        }
      }
    } finally {
      this.nestLev -= n;
    }
  }
  parseUnaryExpr() {
    this.incNest();
    try {
      switch (this.tok) {
        case ADD:
        case SUB:
        case NOT:
        case XOR:
        case AND:
        case TILDE: {
          const p = this.pos;
          const op = tokenString[this.tok];
          this.next();
          const x = this.parseUnaryExpr();
          return { kind: "UnaryExpr", opPos: p, op, x };
        }
        case ARROW: {
          let arrow = this.pos;
          this.next();
          const x = this.parseUnaryExpr();
          if (x.kind === "ChanType") {
            let typ = x;
            let dir = SEND;
            while (typ !== null && dir === SEND) {
              if (typ.dir === RECV) this.errorExpected(typ.arrow, "'chan'");
              const a = typ.arrow;
              typ.begin = arrow;
              typ.arrow = arrow;
              arrow = a;
              dir = typ.dir;
              typ.dir = RECV;
              typ = typ.value.kind === "ChanType" ? typ.value : null;
            }
            if (dir === SEND) this.errorExpected(arrow, "channel type");
            return x;
          }
          return { kind: "UnaryExpr", opPos: arrow, op: "<-", x };
        }
        case MUL: {
          const p = this.pos;
          this.next();
          const x = this.parseUnaryExpr();
          return { kind: "StarExpr", star: p, x };
        }
      }
      return this.parsePrimaryExpr(null);
    } finally {
      this.nestLev--;
    }
  }
  parseBinaryExpr(x, prec1) {
    if (x === null) x = this.parseUnaryExpr();
    let n = 0;
    try {
      for (; ; ) {
        n++;
        this.incNest();
        let op = this.tok;
        if (this.inRhs && op === ASSIGN) op = EQL;
        const oprec = precedence[op];
        if (oprec < prec1 || oprec === 0) return x;
        const p = this.expect(op);
        const y = this.parseBinaryExpr(null, oprec + 1);
        x = { kind: "BinaryExpr", x, opPos: p, op: tokenString[op], y };
      }
    } finally {
      this.nestLev -= n;
    }
  }
  parseExpr() {
    return this.parseBinaryExpr(null, LOWEST_PREC + 1);
  }
  parseRhs() {
    const old = this.inRhs;
    this.inRhs = true;
    const x = this.parseExpr();
    this.inRhs = old;
    return x;
  }
  // ---- statements ----
  /** Set by parseSimpleStmt: whether the statement was a range clause. */
  lastIsRange = false;
  parseSimpleStmt(mode) {
    this.lastIsRange = false;
    const x = this.parseList(false);
    switch (this.tok) {
      case DEFINE:
      case ASSIGN:
      case ADD_ASSIGN:
      case SUB_ASSIGN:
      case MUL_ASSIGN:
      case QUO_ASSIGN:
      case REM_ASSIGN:
      case AND_ASSIGN:
      case OR_ASSIGN:
      case XOR_ASSIGN:
      case SHL_ASSIGN:
      case SHR_ASSIGN:
      case AND_NOT_ASSIGN: {
        const p = this.pos;
        const tok = this.tok;
        this.next();
        let y;
        let isRange = false;
        if (mode === RANGE_OK && this.tok === RANGE && (tok === DEFINE || tok === ASSIGN)) {
          const rp = this.pos;
          this.next();
          y = [{ kind: "UnaryExpr", opPos: rp, op: "range", x: this.parseRhs() }];
          isRange = true;
        } else {
          y = this.parseList(true);
        }
        this.lastIsRange = isRange;
        return { kind: "AssignStmt", lhs: x, tokPos: p, tok: tokenString[tok], rhs: y };
      }
    }
    if (x.length > 1) this.errorExpected(pos(x[0]), "1 expression");
    switch (this.tok) {
      case COLON: {
        const colon = this.pos;
        this.next();
        const label = x[0];
        if (mode === LABEL_OK && label.kind === "Ident") {
          return { kind: "LabeledStmt", label, colon, stmt: this.parseStmt() };
        }
        this.error(colon, "illegal label declaration");
        return { kind: "BadStmt", from: pos(x[0]), to: colon + 1 };
      }
      case ARROW: {
        const arrow = this.pos;
        this.next();
        const y = this.parseRhs();
        return { kind: "SendStmt", chan: x[0], arrow, value: y };
      }
      case INC:
      case DEC: {
        const s = { kind: "IncDecStmt", x: x[0], tokPos: this.pos, tok: tokenString[this.tok] };
        this.next();
        return s;
      }
    }
    return { kind: "ExprStmt", x: x[0] };
  }
  parseCallExpr(callType) {
    let x = this.parseRhs();
    const t = unparen(x);
    if (t !== x) {
      this.error(pos(x), `expression in ${callType} must not be parenthesized`);
      x = t;
    }
    if (x.kind === "CallExpr") return x;
    if (x.kind !== "BadExpr") this.error(end(x), `expression in ${callType} must be function call`);
    return null;
  }
  parseGoStmt() {
    const p = this.expect(GO);
    const call = this.parseCallExpr("go");
    this.expectSemi();
    if (call === null) return { kind: "BadStmt", from: p, to: p + 2 };
    return { kind: "GoStmt", go: p, call };
  }
  parseDeferStmt() {
    const p = this.expect(DEFER);
    const call = this.parseCallExpr("defer");
    this.expectSemi();
    if (call === null) return { kind: "BadStmt", from: p, to: p + 5 };
    return { kind: "DeferStmt", defer: p, call };
  }
  parseReturnStmt() {
    const p = this.pos;
    this.expect(RETURN);
    let x = null;
    if (this.tok !== SEMICOLON && this.tok !== RBRACE) x = this.parseList(true);
    this.expectSemi();
    return { kind: "ReturnStmt", return: p, results: x };
  }
  parseBranchStmt(tok) {
    const p = this.expect(tok);
    let label = null;
    if (tok === GOTO || (tok === CONTINUE || tok === BREAK) && this.tok === IDENT) label = this.parseIdent();
    this.expectSemi();
    return { kind: "BranchStmt", tokPos: p, tok: tokenString[tok], label };
  }
  makeExpr(s, want) {
    if (s === null) return null;
    if (s.kind === "ExprStmt") return s.x;
    const found = s.kind === "AssignStmt" ? "assignment" : "simple statement";
    this.error(pos(s), `expected ${want}, found ${found} (missing parentheses around composite literal?)`);
    return badExpr(pos(s), end(s));
  }
  parseIfHeader() {
    let init = null;
    let cond = null;
    if (this.tok === LBRACE) {
      this.error(this.pos, "missing condition in if statement");
      return [null, badExpr(this.pos, this.pos)];
    }
    const prevLev = this.exprLev;
    this.exprLev = -1;
    if (this.tok !== SEMICOLON) {
      if (this.tok === VAR) {
        this.next();
        this.error(this.pos, "var declaration not allowed in if initializer");
      }
      init = this.parseSimpleStmt(BASIC);
    }
    let condStmt = null;
    let semiPos = NOPOS;
    let semiLit = "";
    if (this.tok !== LBRACE) {
      if (this.tok === SEMICOLON) {
        semiPos = this.pos;
        semiLit = this.lit;
        this.next();
      } else {
        this.expect(SEMICOLON);
      }
      if (this.tok !== LBRACE) condStmt = this.parseSimpleStmt(BASIC);
    } else {
      condStmt = init;
      init = null;
    }
    if (condStmt !== null) {
      cond = this.makeExpr(condStmt, "boolean expression");
    } else if (semiPos !== NOPOS) {
      if (semiLit === "\n") this.error(semiPos, "unexpected newline, expecting { after if clause");
      else this.error(semiPos, "missing condition in if statement");
    }
    if (cond === null) cond = badExpr(this.pos, this.pos);
    this.exprLev = prevLev;
    return [init, cond];
  }
  parseIfStmt() {
    this.incNest();
    try {
      const p = this.expect(IF);
      const [init, cond] = this.parseIfHeader();
      const body = this.parseBlockStmt();
      let else_ = null;
      if (this.tok === ELSE) {
        this.next();
        if (this.tok === IF) {
          else_ = this.parseIfStmt();
        } else if (this.tok === LBRACE) {
          else_ = this.parseBlockStmt();
          this.expectSemi();
        } else {
          this.errorExpected(this.pos, "if statement or block");
          else_ = { kind: "BadStmt", from: this.pos, to: this.pos };
        }
      } else {
        this.expectSemi();
      }
      return { kind: "IfStmt", if: p, init, cond, body, else: else_ };
    } finally {
      this.nestLev--;
    }
  }
  parseCaseClause() {
    const p = this.pos;
    let list = null;
    if (this.tok === CASE) {
      this.next();
      list = this.parseList(true);
    } else {
      this.expect(DEFAULT);
    }
    const colon = this.expect(COLON);
    const body = this.parseStmtList();
    return { kind: "CaseClause", case: p, list, colon, body: body.length ? body : null };
  }
  isTypeSwitchGuard(s) {
    if (s === null) return false;
    if (s.kind === "ExprStmt") return isTypeSwitchAssert(s.x);
    if (s.kind === "AssignStmt") {
      if (s.lhs.length === 1 && s.rhs.length === 1 && isTypeSwitchAssert(s.rhs[0])) {
        if (s.tok === "=") {
          this.error(s.tokPos, "expected ':=', found '='");
          return true;
        }
        if (s.tok === ":=") return true;
      }
    }
    return false;
  }
  parseSwitchStmt() {
    const p = this.expect(SWITCH);
    let s1 = null;
    let s2 = null;
    if (this.tok !== LBRACE) {
      const prevLev = this.exprLev;
      this.exprLev = -1;
      if (this.tok !== SEMICOLON) s2 = this.parseSimpleStmt(BASIC);
      if (this.tok === SEMICOLON) {
        this.next();
        s1 = s2;
        s2 = null;
        if (this.tok !== LBRACE) s2 = this.parseSimpleStmt(BASIC);
      }
      this.exprLev = prevLev;
    }
    const typeSwitch = this.isTypeSwitchGuard(s2);
    const lbrace = this.expect(LBRACE);
    const list = [];
    while (this.tok === CASE || this.tok === DEFAULT) list.push(this.parseCaseClause());
    const rbrace = this.expect(RBRACE);
    this.expectSemi();
    const body = { kind: "BlockStmt", lbrace, list: list.length ? list : null, rbrace };
    if (typeSwitch) return { kind: "TypeSwitchStmt", switch: p, init: s1, assign: s2, body };
    return { kind: "SwitchStmt", switch: p, init: s1, tag: this.makeExpr(s2, "switch expression"), body };
  }
  parseCommClause() {
    const p = this.pos;
    let comm = null;
    if (this.tok === CASE) {
      this.next();
      let lhs = this.parseList(false);
      if (this.tok === ARROW) {
        if (lhs.length > 1) this.errorExpected(pos(lhs[0]), "1 expression");
        const arrow = this.pos;
        this.next();
        const rhs = this.parseRhs();
        comm = { kind: "SendStmt", chan: lhs[0], arrow, value: rhs };
      } else {
        const tok = this.tok;
        if (tok === ASSIGN || tok === DEFINE) {
          if (lhs.length > 2) {
            this.errorExpected(pos(lhs[0]), "1 or 2 expressions");
            lhs = lhs.slice(0, 2);
          }
          const ap = this.pos;
          this.next();
          const rhs = this.parseRhs();
          comm = { kind: "AssignStmt", lhs, tokPos: ap, tok: tokenString[tok], rhs: [rhs] };
        } else {
          if (lhs.length > 1) this.errorExpected(pos(lhs[0]), "1 expression");
          comm = { kind: "ExprStmt", x: lhs[0] };
        }
      }
    } else {
      this.expect(DEFAULT);
    }
    const colon = this.expect(COLON);
    const body = this.parseStmtList();
    return { kind: "CommClause", case: p, comm, colon, body: body.length ? body : null };
  }
  parseSelectStmt() {
    const p = this.expect(SELECT);
    const lbrace = this.expect(LBRACE);
    const list = [];
    while (this.tok === CASE || this.tok === DEFAULT) list.push(this.parseCommClause());
    const rbrace = this.expect(RBRACE);
    this.expectSemi();
    return { kind: "SelectStmt", select: p, body: { kind: "BlockStmt", lbrace, list: list.length ? list : null, rbrace } };
  }
  parseForStmt() {
    const p = this.expect(FOR);
    let s1 = null;
    let s2 = null;
    let s3 = null;
    let isRange = false;
    if (this.tok !== LBRACE) {
      const prevLev = this.exprLev;
      this.exprLev = -1;
      if (this.tok !== SEMICOLON) {
        if (this.tok === RANGE) {
          const rp = this.pos;
          this.next();
          const y = [{ kind: "UnaryExpr", opPos: rp, op: "range", x: this.parseRhs() }];
          s2 = { kind: "AssignStmt", lhs: [], tokPos: NOPOS, tok: "ILLEGAL", rhs: y };
          isRange = true;
        } else {
          s2 = this.parseSimpleStmt(RANGE_OK);
          isRange = this.lastIsRange;
        }
      }
      if (!isRange && this.tok === SEMICOLON) {
        this.next();
        s1 = s2;
        s2 = null;
        if (this.tok !== SEMICOLON) s2 = this.parseSimpleStmt(BASIC);
        this.expectSemi();
        if (this.tok !== LBRACE) s3 = this.parseSimpleStmt(BASIC);
      }
      this.exprLev = prevLev;
    }
    const body = this.parseBlockStmt();
    this.expectSemi();
    if (isRange) {
      const as = s2;
      let key = null;
      let value = null;
      switch (as.lhs.length) {
        case 0:
          break;
        case 1:
          key = as.lhs[0];
          break;
        case 2:
          key = as.lhs[0];
          value = as.lhs[1];
          break;
        default:
          this.errorExpected(pos(as.lhs[as.lhs.length - 1]), "at most 2 expressions");
          return { kind: "BadStmt", from: p, to: end(body) };
      }
      const r = as.rhs[0];
      return { kind: "RangeStmt", for: p, key, value, tokPos: as.tokPos, tok: as.tok, range: r.opPos, x: r.x, body };
    }
    return { kind: "ForStmt", for: p, init: s1, cond: this.makeExpr(s2, "boolean or range expression"), post: s3, body };
  }
  parseStmt() {
    this.incNest();
    try {
      switch (this.tok) {
        case CONST:
        case TYPE:
        case VAR:
          return { kind: "DeclStmt", decl: this.parseDecl(stmtStart) };
        case IDENT:
        case INT:
        case FLOAT:
        case IMAG:
        case CHAR:
        case STRING:
        case FUNC:
        case LPAREN:
        case LBRACK:
        case STRUCT:
        case MAP:
        case CHAN:
        case INTERFACE:
        case ADD:
        case SUB:
        case MUL:
        case AND:
        case XOR:
        case ARROW:
        case NOT: {
          const s = this.parseSimpleStmt(LABEL_OK);
          if (s.kind !== "LabeledStmt") this.expectSemi();
          return s;
        }
        case GO:
          return this.parseGoStmt();
        case DEFER:
          return this.parseDeferStmt();
        case RETURN:
          return this.parseReturnStmt();
        case BREAK:
        case CONTINUE:
        case GOTO:
        case FALLTHROUGH:
          return this.parseBranchStmt(this.tok);
        case LBRACE: {
          const s = this.parseBlockStmt();
          this.expectSemi();
          return s;
        }
        case IF:
          return this.parseIfStmt();
        case SWITCH:
          return this.parseSwitchStmt();
        case SELECT:
          return this.parseSelectStmt();
        case FOR:
          return this.parseForStmt();
        case SEMICOLON: {
          const s = { kind: "EmptyStmt", semicolon: this.pos, implicit: this.lit === "\n" };
          this.next();
          return s;
        }
        case RBRACE:
          return { kind: "EmptyStmt", semicolon: this.pos, implicit: true };
        default: {
          const p = this.pos;
          this.errorExpected(p, "statement");
          this.advance(stmtStart);
          return { kind: "BadStmt", from: p, to: this.pos };
        }
      }
    } finally {
      this.nestLev--;
    }
  }
  // ---- declarations ----
  parseImportSpec(doc) {
    let id = null;
    if (this.tok === IDENT) {
      id = this.parseIdent();
    } else if (this.tok === PERIOD) {
      id = ident(this.pos, ".");
      this.next();
    }
    const p = this.pos;
    let end2 = this.pos;
    let path = "";
    if (this.tok === STRING) {
      path = this.lit;
      end2 = this.stringEnd;
      this.next();
    } else if (isLiteral(this.tok)) {
      this.error(p, "import path must be a string");
      this.next();
    } else {
      this.error(p, "missing import path");
      this.advance(exprEnd);
    }
    const comment = this.expectSemi();
    const spec = {
      kind: "ImportSpec",
      doc,
      name: id,
      path: { kind: "BasicLit", valuePos: p, valueEnd: end2, tokKind: "STRING", value: path },
      comment,
      endPos: NOPOS
    };
    this.imports.push(spec);
    return spec;
  }
  parseValueSpec(doc, keyword) {
    const idents = this.parseIdentList();
    let typ = null;
    let values = null;
    if (keyword === CONST) {
      if (this.tok !== EOF && this.tok !== SEMICOLON && this.tok !== RPAREN) {
        typ = this.tryIdentOrType();
        if (this.tok === ASSIGN) {
          this.next();
          values = this.parseList(true);
        }
      }
    } else {
      if (this.tok !== ASSIGN) typ = this.parseType();
      if (this.tok === ASSIGN) {
        this.next();
        values = this.parseList(true);
      }
    }
    const comment = this.expectSemi();
    return { kind: "ValueSpec", doc, names: idents, type: typ, values, comment };
  }
  parseGenericType(spec, openPos, name0, typ0) {
    const list = this.parseParameterList(name0, typ0, RBRACK, false);
    const closePos = this.expect(RBRACK);
    spec.typeParams = { kind: "FieldList", opening: openPos, list: list.length ? list : null, closing: closePos };
    if (this.tok === ASSIGN) {
      spec.assign = this.pos;
      this.next();
    }
    spec.type = this.parseType();
  }
  parseTypeSpec(doc) {
    const name = this.parseIdent();
    const spec = {
      kind: "TypeSpec",
      doc,
      name,
      typeParams: null,
      assign: NOPOS,
      type: null,
      comment: null
    };
    if (this.tok === LBRACK) {
      const lbrack = this.pos;
      this.next();
      if (this.tok === IDENT) {
        let x = this.parseIdent();
        if (this.tok !== LBRACK) {
          this.exprLev++;
          const lhs = this.parsePrimaryExpr(x);
          x = this.parseBinaryExpr(lhs, LOWEST_PREC + 1);
          this.exprLev--;
        }
        const [pname, ptype] = extractName(x, this.tok === COMMA);
        if (pname !== null && (ptype !== null || this.tok !== RBRACK)) {
          this.parseGenericType(spec, lbrack, pname, ptype);
        } else {
          spec.type = this.parseArrayType(lbrack, x);
        }
      } else {
        spec.type = this.parseArrayType(lbrack, null);
      }
    } else {
      if (this.tok === ASSIGN) {
        spec.assign = this.pos;
        this.next();
      }
      spec.type = this.parseType();
    }
    spec.comment = this.expectSemi();
    return spec;
  }
  parseSpec(doc, keyword) {
    switch (keyword) {
      case IMPORT:
        return this.parseImportSpec(doc);
      case TYPE:
        return this.parseTypeSpec(doc);
      default:
        return this.parseValueSpec(doc, keyword);
    }
  }
  parseGenDecl(keyword) {
    const doc = this.leadComment;
    const p = this.expect(keyword);
    let lparen = NOPOS;
    let rparen = NOPOS;
    const list = [];
    if (this.tok === LPAREN) {
      lparen = this.pos;
      this.next();
      while (this.tok !== RPAREN && this.tok !== EOF) list.push(this.parseSpec(this.leadComment, keyword));
      rparen = this.expect(RPAREN);
      this.expectSemi();
    } else {
      list.push(this.parseSpec(null, keyword));
    }
    return { kind: "GenDecl", doc, tokPos: p, tok: tokenString[keyword], lparen, specs: list.length ? list : null, rparen };
  }
  parseFuncDecl() {
    const doc = this.leadComment;
    const p = this.expect(FUNC);
    let recv = null;
    if (this.tok === LPAREN) recv = this.parseParameters(false);
    const id = this.parseIdent();
    let tparams = null;
    if (this.tok === LBRACK) {
      tparams = this.parseTypeParameters();
      if (recv !== null && tparams !== null) {
        this.error(tparams.opening, "method must have no type parameters");
        tparams = null;
      }
    }
    const params = this.parseParameters(false);
    const results = this.parseParameters(true);
    let body = null;
    switch (this.tok) {
      case LBRACE:
        body = this.skipBodies ? this.skipBody() : this.parseBody();
        this.expectSemi();
        break;
      case SEMICOLON:
        this.next();
        if (this.tok === LBRACE) {
          this.error(this.pos, "unexpected semicolon or newline before {");
          body = this.parseBody();
          this.expectSemi();
        }
        break;
      default:
        this.expectSemi();
    }
    return {
      kind: "FuncDecl",
      doc,
      recv,
      name: id,
      type: { kind: "FuncType", func: p, typeParams: tparams, params, results },
      body
    };
  }
  parseDecl(sync) {
    switch (this.tok) {
      case IMPORT:
      case CONST:
      case VAR:
      case TYPE:
        return this.parseGenDecl(this.tok);
      case FUNC:
        return this.parseFuncDecl();
      default: {
        const p = this.pos;
        this.errorExpected(p, "declaration");
        this.advance(sync);
        return { kind: "BadDecl", from: p, to: this.pos };
      }
    }
  }
  /**
   * Mode 'declarations': function bodies, function literals' bodies and composite literals'
   * elements (except in [...]T{...}) are skipped by matching braces.
   */
  skipBodies = false;
  /** Drops comments (option comments: false). */
  skipComments = false;
  skipBody() {
    const lbrace = this.pos;
    const sc = this.sc;
    sc.skipBlock();
    let depth = 1;
    for (; ; ) {
      sc.scan();
      const t = sc.tok;
      if (t === LBRACE) depth++;
      else if (t === RBRACE) {
        if (--depth === 0) break;
      } else if (t === EOF) {
        this.pos = sc.pos;
        this.tok = t;
        this.lit = "";
        this.errorExpected(this.pos, "'}'");
        return { kind: "BlockStmt", lbrace, list: null, rbrace: NOPOS };
      }
    }
    const rbrace = sc.pos;
    this.pos = rbrace;
    this.tok = RBRACE;
    this.lit = "";
    this.next();
    return { kind: "BlockStmt", lbrace, list: null, rbrace };
  }
  // ---- file ----
  doc = null;
  packagePos = NOPOS;
  name = ident(NOPOS, "");
  parseFile(mode) {
    this.skipBodies = mode === "declarations";
    if (this.allErrorCount() !== 0) return;
    this.doc = this.leadComment;
    this.packagePos = this.expect(PACKAGE);
    this.name = this.parseIdent();
    this.expectSemi();
    if (this.allErrorCount() !== 0) return;
    if (mode === "package") return;
    while (this.tok === IMPORT) this.decls.push(this.parseGenDecl(IMPORT));
    if (mode === "imports") return;
    let prev = IMPORT;
    while (this.tok !== EOF) {
      if (this.tok === IMPORT && prev !== IMPORT) this.error(this.pos, "imports must appear before other declarations");
      prev = this.tok;
      this.decls.push(this.parseDecl(declStart));
    }
  }
  /** After a lone expression: an optional newline, then EOF. */
  expectEOF() {
    if (this.tok === SEMICOLON && this.lit === "\n") this.next();
    this.expect(EOF);
  }
};
function parseFile(filename, src, opts = {}) {
  const bytes = typeof src === "string" ? encodeUtf8(src) : src;
  const source = new SourceFile(filename, bytes);
  const sc = new Scanner(filename, bytes);
  const maxNest = opts.maxNesting ?? DEFAULT_MAX_NESTING;
  let p = null;
  const errs = [];
  try {
    p = new Parser(sc, source, maxNest, opts.comments === false);
    p.parseFile(opts.mode ?? "full");
  } catch (e) {
    if (e instanceof Bailout) {
      if (e.message && p && !p.errors.some((x) => x.message === e.message)) errs.push({ offset: e.offset, message: e.message });
    } else if (e instanceof RangeError) {
      errs.push({ offset: sc.pos, message: "exceeded max nesting depth (stack exhausted)" });
    } else {
      errs.push({ offset: sc.pos, message: `internal parser error: ${e.message}` });
    }
  }
  const all = [...p ? p.errors : [], ...sc.errors, ...errs];
  all.sort((a, b) => a.offset - b.offset);
  const errors = all.map((e) => {
    const ps = source.position(Math.max(0, e.offset));
    return { offset: e.offset, line: ps.line, column: ps.column, message: e.message };
  });
  const file = {
    kind: "File",
    doc: p ? p.doc : null,
    package: p ? p.packagePos : NOPOS,
    name: p ? p.name : ident(NOPOS, ""),
    decls: p && p.decls.length ? p.decls : null,
    fileStart: 0,
    fileEnd: bytes.length,
    imports: p ? p.imports : [],
    comments: p && p.comments.length ? p.comments : null,
    goVersion: p ? p.goVersion : ""
  };
  return { file, errors, source, lineDirectives: sc.lineDirectives };
}

export {
  readFileHeader,
  releaseTagsFor,
  headerAllows,
  fileNameMismatch,
  DEFAULT_MAX_NESTING,
  parseFile
};
