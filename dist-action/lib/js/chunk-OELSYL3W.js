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
} from "./chunk-VLLEPO5K.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-DJE6VM7K.js";
import "./chunk-D4C5GTSN.js";
import "./chunk-LNDPDFWR.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-53IHHKNJ.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-BEBMU46B.js";
import "./chunk-2II5OMIF.js";
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
