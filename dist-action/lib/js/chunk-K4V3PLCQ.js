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
} from "./chunk-NSP63COW.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-PZXVFHXS.js";
import "./chunk-5CF6G43B.js";
import "./chunk-KS265VRU.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-PQY2OQSN.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-6MC6W5IO.js";
import "./chunk-IUC7WVWE.js";
import "./chunk-ZVHFWBVV.js";
import "./chunk-C5TEEY35.js";
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
