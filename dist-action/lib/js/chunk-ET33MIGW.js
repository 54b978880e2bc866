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
} from "./chunk-PNNO72C2.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-THDEQF7S.js";
import "./chunk-AHLKTSFI.js";
import "./chunk-HK6LYMIB.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-B537FXI4.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-VTHKDBT2.js";
import "./chunk-2AR5TXGV.js";
import "./chunk-TWNEPAUT.js";
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
