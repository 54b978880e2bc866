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
} from "./chunk-RZEES5WR.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-T63N3WUP.js";
import "./chunk-PT4BDXVO.js";
import "./chunk-FF3W6GVI.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-3PHIOUY3.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-M2L5VSVX.js";
import "./chunk-JWVIC5GN.js";
import "./chunk-AWJARIXA.js";
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
