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
} from "./chunk-YOJR6GB4.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-4SU6KXGC.js";
import "./chunk-X5QC55V7.js";
import "./chunk-PFWFX55D.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-SUETTTTC.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-B2QNH7MC.js";
import "./chunk-ARO3HTKH.js";
import "./chunk-BI5NNTYP.js";
import "./chunk-DO6F2IKR.js";
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
