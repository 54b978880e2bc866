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
} from "./chunk-YWU2YUOH.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-DJE6VM7K.js";
import "./chunk-V7MJPCG7.js";
import "./chunk-LNDPDFWR.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-53IHHKNJ.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-BEBMU46B.js";
import "./chunk-QE2HIXKQ.js";
import "./chunk-JXHKE6KC.js";
import "./chunk-YTCJ642O.js";
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
