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
} from "./chunk-J4TLYCED.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-7WFKSWKL.js";
import "./chunk-CDX2XILF.js";
import "./chunk-XFICVFQD.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-XKYWW3KM.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-M2L5VSVX.js";
import "./chunk-CDCJS662.js";
import "./chunk-KABAEQFX.js";
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
