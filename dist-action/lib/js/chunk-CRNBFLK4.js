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
} from "./chunk-KSXHCRVB.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-LCAHAOTC.js";
import "./chunk-FDC5NGUD.js";
import "./chunk-HLAI5MVC.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-6VEBWGMI.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-QEI4TS6F.js";
import "./chunk-HR5PXE3L.js";
import "./chunk-GTUTQ6UQ.js";
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
