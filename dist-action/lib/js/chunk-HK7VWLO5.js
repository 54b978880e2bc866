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
} from "./chunk-O4TUXBQD.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-TOURBQNK.js";
import "./chunk-UUWCKHLW.js";
import "./chunk-6IEZZNVS.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-S7E2KQIU.js";
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
