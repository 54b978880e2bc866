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
} from "./chunk-6X2BQ5WY.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-2P5VBNEV.js";
import "./chunk-XZAHBVSV.js";
import "./chunk-SV6PKTQK.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-34TY5R7H.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-HKPK57RE.js";
import "./chunk-MUP2YTAZ.js";
import "./chunk-6LXSCEPH.js";
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
