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
} from "./chunk-3X3D3TKF.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-G24IAENP.js";
import "./chunk-UCQQQGEY.js";
import "./chunk-4ZTCQ66A.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-FKOXXUQR.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-VTHKDBT2.js";
import "./chunk-OYGTNVET.js";
import "./chunk-J5ZKFTW3.js";
import "./chunk-MECTE26U.js";
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
