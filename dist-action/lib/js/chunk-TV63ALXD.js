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
} from "./chunk-KWUW6WFM.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-5QQ3GILN.js";
import "./chunk-ZIPXODVD.js";
import "./chunk-PVR3H62W.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-ZBIIT5WW.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-BEBMU46B.js";
import "./chunk-BNGGAWJJ.js";
import "./chunk-X2CHC4MP.js";
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
