import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  UsageError,
  allRuleMetas,
  colorWanted,
  configStart,
  parseCheckArgs,
  resolveConfig,
  run,
  selectRules
} from "./chunk-NTYPTRAV.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-TOURBQNK.js";
import "./chunk-USJUOBNX.js";
import "./chunk-MWXGJMR3.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-57VRZWT5.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-HKPK57RE.js";
import "./chunk-YTV6QE3I.js";
import "./chunk-6A4564CO.js";
import "./chunk-HHAEO6HM.js";
import "./chunk-BXUJ5AUT.js";
export {
  UsageError,
  allRuleMetas,
  colorWanted,
  configStart,
  parseCheckArgs,
  resolveConfig,
  run,
  selectRules
};
