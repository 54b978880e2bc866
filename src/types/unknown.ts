// The "everything unknown" TypeInfo: what the analysis layer uses when a package could not be
// type-checked (or no checker is available). Every question gets "unknown"; rules then fall back
// to syntax and lower their confidence, never guess.
import type * as ast from '../syntax/ast.js';
import type { TypeInfo } from './api.js';

class UnknownTypeInfo implements TypeInfo {
  typeOf(_e: ast.Expr): undefined {
    return undefined;
  }
  objectOf(_id: ast.Ident): undefined {
    return undefined;
  }
  callee(_call: ast.CallExpr): undefined {
    return undefined;
  }
  /** Unknown is answered as "not known to be a type": callers must not read false as a fact. */
  isType(_e: ast.Expr): boolean {
    return false;
  }
}

const UNKNOWN = new UnknownTypeInfo();

/** A TypeInfo that knows nothing. */
export function unknownTypeInfo(): TypeInfo {
  return UNKNOWN;
}

/** Whether info is the know-nothing fallback (rules may say so in their confidence). */
export function isUnknownTypeInfo(info: TypeInfo): boolean {
  return info === UNKNOWN;
}
