// Go tokens (go/token): numeric codes for the scanner and parser, and their spellings.

export const ILLEGAL: number = 0;
export const EOF: number = 1;
export const COMMENT: number = 2;
export const IDENT: number = 3;
export const INT: number = 4;
export const FLOAT: number = 5;
export const IMAG: number = 6;
export const CHAR: number = 7;
export const STRING: number = 8;

export const ADD: number = 10; // +
export const SUB: number = 11; // -
export const MUL: number = 12; // *
export const QUO: number = 13; // /
export const REM: number = 14; // %
export const AND: number = 15; // &
export const OR: number = 16; // |
export const XOR: number = 17; // ^
export const SHL: number = 18; // <<
export const SHR: number = 19; // >>
export const AND_NOT: number = 20; // &^
export const ADD_ASSIGN: number = 21;
export const SUB_ASSIGN: number = 22;
export const MUL_ASSIGN: number = 23;
export const QUO_ASSIGN: number = 24;
export const REM_ASSIGN: number = 25;
export const AND_ASSIGN: number = 26;
export const OR_ASSIGN: number = 27;
export const XOR_ASSIGN: number = 28;
export const SHL_ASSIGN: number = 29;
export const SHR_ASSIGN: number = 30;
export const AND_NOT_ASSIGN: number = 31;
export const LAND: number = 32; // &&
export const LOR: number = 33; // ||
export const ARROW: number = 34; // <-
export const INC: number = 35; // ++
export const DEC: number = 36; // --
export const EQL: number = 37; // ==
export const LSS: number = 38; // <
export const GTR: number = 39; // >
export const ASSIGN: number = 40; // =
export const NOT: number = 41; // !
export const NEQ: number = 42; // !=
export const LEQ: number = 43; // <=
export const GEQ: number = 44; // >=
export const DEFINE: number = 45; // :=
export const ELLIPSIS: number = 46; // ...
export const LPAREN: number = 47;
export const LBRACK: number = 48;
export const LBRACE: number = 49;
export const COMMA: number = 50;
export const PERIOD: number = 51;
export const RPAREN: number = 52;
export const RBRACK: number = 53;
export const RBRACE: number = 54;
export const SEMICOLON: number = 55;
export const COLON: number = 56;
export const TILDE: number = 57;

export const BREAK: number = 60;
export const CASE: number = 61;
export const CHAN: number = 62;
export const CONST: number = 63;
export const CONTINUE: number = 64;
export const DEFAULT: number = 65;
export const DEFER: number = 66;
export const ELSE: number = 67;
export const FALLTHROUGH: number = 68;
export const FOR: number = 69;
export const FUNC: number = 70;
export const GO: number = 71;
export const GOTO: number = 72;
export const IF: number = 73;
export const IMPORT: number = 74;
export const INTERFACE: number = 75;
export const MAP: number = 76;
export const PACKAGE: number = 77;
export const RANGE: number = 78;
export const RETURN: number = 79;
export const SELECT: number = 80;
export const STRUCT: number = 81;
export const SWITCH: number = 82;
export const TYPE: number = 83;
export const VAR: number = 84;

export const NUM_TOKENS: number = 85;

/** Spelling of each token as go/token's Token.String() prints it. */
export const tokenString: string[] = new Array<string>(NUM_TOKENS).fill('');
const spellings: [number, string][] = [
  [ILLEGAL, 'ILLEGAL'], [EOF, 'EOF'], [COMMENT, 'COMMENT'], [IDENT, 'IDENT'], [INT, 'INT'], [FLOAT, 'FLOAT'],
  [IMAG, 'IMAG'], [CHAR, 'CHAR'], [STRING, 'STRING'],
  [ADD, '+'], [SUB, '-'], [MUL, '*'], [QUO, '/'], [REM, '%'], [AND, '&'], [OR, '|'], [XOR, '^'], [SHL, '<<'],
  [SHR, '>>'], [AND_NOT, '&^'], [ADD_ASSIGN, '+='], [SUB_ASSIGN, '-='], [MUL_ASSIGN, '*='], [QUO_ASSIGN, '/='],
  [REM_ASSIGN, '%='], [AND_ASSIGN, '&='], [OR_ASSIGN, '|='], [XOR_ASSIGN, '^='], [SHL_ASSIGN, '<<='],
  [SHR_ASSIGN, '>>='], [AND_NOT_ASSIGN, '&^='], [LAND, '&&'], [LOR, '||'], [ARROW, '<-'], [INC, '++'], [DEC, '--'],
  [EQL, '=='], [LSS, '<'], [GTR, '>'], [ASSIGN, '='], [NOT, '!'], [NEQ, '!='], [LEQ, '<='], [GEQ, '>='],
  [DEFINE, ':='], [ELLIPSIS, '...'], [LPAREN, '('], [LBRACK, '['], [LBRACE, '{'], [COMMA, ','], [PERIOD, '.'],
  [RPAREN, ')'], [RBRACK, ']'], [RBRACE, '}'], [SEMICOLON, ';'], [COLON, ':'], [TILDE, '~'],
  [BREAK, 'break'], [CASE, 'case'], [CHAN, 'chan'], [CONST, 'const'], [CONTINUE, 'continue'], [DEFAULT, 'default'],
  [DEFER, 'defer'], [ELSE, 'else'], [FALLTHROUGH, 'fallthrough'], [FOR, 'for'], [FUNC, 'func'], [GO, 'go'],
  [GOTO, 'goto'], [IF, 'if'], [IMPORT, 'import'], [INTERFACE, 'interface'], [MAP, 'map'], [PACKAGE, 'package'],
  [RANGE, 'range'], [RETURN, 'return'], [SELECT, 'select'], [STRUCT, 'struct'], [SWITCH, 'switch'], [TYPE, 'type'],
  [VAR, 'var'],
];
for (const [t, s] of spellings) tokenString[t] = s;

export const keywords = new Map<string, number>();
for (let t = BREAK; t <= VAR; t++) keywords.set(tokenString[t]!, t);

export function isKeyword(name: string): boolean {
  return keywords.has(name);
}

export function isLiteral(tok: number): boolean {
  return tok >= IDENT && tok <= STRING;
}

export const LOWEST_PREC: number = 0;

/** Binary operator precedence (go/token Token.Precedence). */
export const precedence: Int8Array = new Int8Array(NUM_TOKENS);
precedence[LOR] = 1;
precedence[LAND] = 2;
for (const t of [EQL, NEQ, LSS, LEQ, GTR, GEQ]) precedence[t] = 3;
for (const t of [ADD, SUB, OR, XOR]) precedence[t] = 4;
for (const t of [MUL, QUO, REM, SHL, SHR, AND, AND_NOT]) precedence[t] = 5;
