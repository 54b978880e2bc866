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
} from "./chunk-3HEE7ZTH.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-Z7FYRBWT.js";
import "./chunk-ZJ74X47R.js";
import "./chunk-2QTGPQIW.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-PBWKCLKP.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-VTHKDBT2.js";
import "./chunk-LUAWG3BN.js";
import "./chunk-MSNBGWCT.js";
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
