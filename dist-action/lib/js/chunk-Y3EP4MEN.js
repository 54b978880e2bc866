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
} from "./chunk-ISICTDPX.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-OCTIMARH.js";
import "./chunk-L44K47EI.js";
import "./chunk-JYBV53BO.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-ZWDCM4JY.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-M2L5VSVX.js";
import "./chunk-PS7QJUEY.js";
import "./chunk-YUIG5E44.js";
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
