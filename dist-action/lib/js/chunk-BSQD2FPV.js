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
} from "./chunk-OIVQZXA7.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-4AM3YD34.js";
import "./chunk-UHW3PPNS.js";
import "./chunk-POUD6744.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-YJIQUCTI.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-Q4I6QS2F.js";
import "./chunk-KF4L3KG2.js";
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
