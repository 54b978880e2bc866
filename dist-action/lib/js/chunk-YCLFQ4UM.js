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
} from "./chunk-SU4UI6PM.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-QEXB4XXN.js";
import "./chunk-ZSPA3Z5E.js";
import "./chunk-IHQ3K3RT.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-OLPKVP35.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-VTHKDBT2.js";
import "./chunk-3JQC55DX.js";
import "./chunk-OUDSTEBT.js";
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
