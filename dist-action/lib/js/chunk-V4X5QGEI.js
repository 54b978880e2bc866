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
} from "./chunk-4FLXHUU5.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-QKHM633E.js";
import "./chunk-AHC5YPF6.js";
import "./chunk-YVP3XN37.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-ZKYWRC7J.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-HKPK57RE.js";
import "./chunk-IXVDQ5KG.js";
import "./chunk-KYSPV6WH.js";
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
