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
} from "./chunk-4ATSMDLA.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-DCHB7V4B.js";
import "./chunk-A3UHPBFB.js";
import "./chunk-RWURPK44.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-KR3WCZIL.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-HKPK57RE.js";
import "./chunk-HLUTQ6XD.js";
import "./chunk-6A4564CO.js";
import "./chunk-HHAEO6HM.js";
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
