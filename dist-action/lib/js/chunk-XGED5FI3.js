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
} from "./chunk-OBTNZSBX.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-UMCE2FPI.js";
import "./chunk-33C4MHNS.js";
import "./chunk-OOU6NN3Y.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-MN72FPMU.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-M2L5VSVX.js";
import "./chunk-K7MJCAOE.js";
import "./chunk-M733GA6G.js";
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
