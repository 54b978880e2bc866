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
} from "./chunk-WKYNKXQY.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-4AM3YD34.js";
import "./chunk-FWN7PHXW.js";
import "./chunk-UKMSCRJV.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-T3TECVKV.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-YUPDRGD5.js";
import "./chunk-L5JM7SBP.js";
import "./chunk-K4325GDH.js";
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
