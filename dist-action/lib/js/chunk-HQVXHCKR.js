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
} from "./chunk-5I7UEUNS.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-7WFKSWKL.js";
import "./chunk-VBJSRMRW.js";
import "./chunk-H2GXJT37.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-2X5MBHEL.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-M2L5VSVX.js";
import "./chunk-C47ZVO4U.js";
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
