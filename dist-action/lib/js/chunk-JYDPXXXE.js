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
} from "./chunk-5ACVDYFY.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-NXCAJDMM.js";
import "./chunk-CCLIASSO.js";
import "./chunk-XQNQ7JJ5.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-F74MNKGF.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-6MC6W5IO.js";
import "./chunk-6ICUXTGV.js";
import "./chunk-6JUZGCUM.js";
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
